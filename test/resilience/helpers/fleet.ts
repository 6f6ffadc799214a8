import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'vitest';
import { Client } from '../../helpers/client.js';
import { REPO_ROOT, TEST_TOKENS, startServer, type TestServer, type TestServerOptions } from '../../helpers/server.js';
import { recordResult } from './results.js';

/** Secrets shorter than this cannot be searched for meaningfully (a flag "26" matches any port number). */
export const MIN_SECRET_LENGTH = 6;

export type SecretKind = 'password' | 'api-token' | 'admin-token' | 'stream-token' | 'session-cookie' | 'flag';

export interface LeakReport {
  readonly logBytes: number;
  readonly servers: number;
  readonly secretsChecked: number;
  readonly secretsTooShort: number;
  readonly byKind: Record<string, number>;
  readonly leaks: ReadonlyArray<{ kind: SecretKind; secret: string; context: string }>;
}

/** The scorestream token inside a websocket_url. */
export function streamToken(websocketUrl: string): string {
  return new URL(websocketUrl).searchParams.get('token') ?? '';
}

/** The value part of a `name=value` cookie pair. */
export function cookieValue(pair: string): string {
  return pair.slice(pair.indexOf('=') + 1);
}

export interface SpawnOptions {
  readonly gameDir: string;
  readonly dbDir: string;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  readonly port?: number;
  /** run as this user (the tests run as root, which ignores file permissions) */
  readonly uid?: number;
  readonly gid?: number;
}

export interface Spawned {
  readonly process: ChildProcess;
  output(): string;
  /** resolves with the exit code */
  readonly exited: Promise<number | null>;
}

/** Starts the CLI like test/helpers/server.ts does, but optionally as another user, without waiting for it to listen. */
export function spawnCtfg(o: SpawnOptions): Spawned {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'src', 'main.ts'),
      '-g',
      o.gameDir,
      '-b',
      o.dbDir,
      '--host',
      '127.0.0.1',
      '-p',
      String(o.port ?? 0),
      ...(o.args ?? []),
    ],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: '/tmp',
        CTFG_API_TOKEN: TEST_TOKENS.api,
        CTFG_ADMIN_TOKEN: TEST_TOKENS.admin,
        CTFG_LOG_LEVEL: 'info',
        ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(o.uid !== undefined ? { uid: o.uid, gid: o.gid ?? o.uid } : {}),
    },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

/** Waits until a spawned server logs that it serves; resolves to its port. */
export async function whenServing(s: Spawned, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const m = /"port":(\d+)[^\n]*is serving/.exec(s.output());
    if (m) return Number(m[1]);
    if (s.process.exitCode !== null) throw new Error(`exited with ${s.process.exitCode}:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not serving after ${timeoutMs} ms:\n${s.output()}`);
}

/**
 * The servers one test file starts, and the secrets it hands them. At the end
 * the file stops every server and searches everything they logged for every
 * secret (SPEC §6: secrets never in logs).
 */
export class Fleet {
  private readonly servers: TestServer[] = [];
  private readonly spawned: Spawned[] = [];
  private readonly secrets = new Map<string, SecretKind>();

  constructor() {
    this.secret('api-token', TEST_TOKENS.api);
    this.secret('admin-token', TEST_TOKENS.admin);
  }

  async start(options: TestServerOptions = {}): Promise<TestServer> {
    const s = await startServer(options);
    this.servers.push(s);
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (k === 'CTFG_API_TOKEN' && v) this.secret('api-token', v);
      if (k === 'CTFG_ADMIN_TOKEN' && v) this.secret('admin-token', v);
    }
    return s;
  }

  spawn(options: SpawnOptions): Spawned {
    const s = spawnCtfg(options);
    this.spawned.push(s);
    return s;
  }

  secret(kind: SecretKind, value: string | null | undefined): void {
    if (value) this.secrets.set(value, kind);
  }

  /** Stops every server still running (SIGTERM, then SIGKILL after 15 s). */
  async stopAll(): Promise<void> {
    const running = [...this.servers.map((s) => s.process), ...this.spawned.map((s) => s.process)].filter(
      (p) => p.exitCode === null && p.signalCode === null,
    );
    await Promise.all(
      running.map(
        (p) =>
          new Promise<void>((resolve) => {
            const hard = setTimeout(() => p.kill('SIGKILL'), 15_000);
            p.once('exit', () => {
              clearTimeout(hard);
              resolve();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
  }

  /** Logs `player<n>` in and registers every secret that login produced. */
  async login(base: string, n: number): Promise<Client> {
    const c = new Client(base);
    const r = await c.login(`player${n}`, `password${n}`);
    if (r.status !== 200) throw new Error(`login player${n}: ${r.status}`);
    this.secret('password', `password${n}`);
    this.secret('session-cookie', cookieValue(c.cookie ?? ''));
    this.secret('stream-token', streamToken(c.websocketUrl ?? ''));
    return c;
  }

  /** End of a test file: stop every server, then prove no secret reached their logs. */
  async finish(file: string): Promise<void> {
    await this.stopAll();
    const report = this.audit();
    recordResult(`log-secrets:${file}`, { ...report, leaks: report.leaks.length });
    expect(report.leaks).toEqual([]);
  }

  /** Searches every line the servers wrote for every registered secret. */
  audit(): LeakReport {
    const logs = [...this.servers.map((s) => s.output()), ...this.spawned.map((s) => s.output())];
    const byPrefix = new Map<string, Array<[string, SecretKind]>>();
    let tooShort = 0;
    const byKind: Record<string, number> = {};
    for (const [secret, kind] of this.secrets) {
      if (secret.length < MIN_SECRET_LENGTH) {
        tooShort++;
        continue;
      }
      byKind[kind] = (byKind[kind] ?? 0) + 1;
      const prefix = secret.slice(0, MIN_SECRET_LENGTH);
      const list = byPrefix.get(prefix) ?? [];
      list.push([secret, kind]);
      byPrefix.set(prefix, list);
    }
    const leaks: Array<{ kind: SecretKind; secret: string; context: string }> = [];
    const seen = new Set<string>();
    let bytes = 0;
    for (const log of logs) {
      bytes += log.length;
      // Every position is a possible start: exact and complete, in one pass per log.
      for (let i = 0; i + MIN_SECRET_LENGTH <= log.length; i++) {
        const candidates = byPrefix.get(log.slice(i, i + MIN_SECRET_LENGTH));
        if (!candidates) continue;
        for (const [secret, kind] of candidates) {
          if (!seen.has(secret) && log.startsWith(secret, i)) {
            seen.add(secret);
            leaks.push({ kind, secret, context: log.slice(Math.max(0, i - 120), i + secret.length + 40) });
          }
        }
      }
    }
    return {
      logBytes: bytes,
      servers: logs.length,
      secretsChecked: this.secrets.size - tooShort,
      secretsTooShort: tooShort,
      byKind,
      leaks,
    };
  }
}
