import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendArgs } from './backend.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The repository's own game in the earlier engine's format (15 challenges, 500
 * players, clusters, banner): every suite but `npm run test:compat` plays it.
 */
export const FIXTURE_GAME = path.join(REPO_ROOT, 'test', 'fixtures', 'game');

export interface TestServerOptions {
  /** game folder; default: FIXTURE_GAME */
  readonly gameDir?: string;
  /** database folder; default: a fresh temp folder */
  readonly dbDir?: string;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  /** fixed port (e.g. to restart on the same one); default: ephemeral */
  readonly port?: number;
  /** default: CTFG_TEST_BACKEND (sqlite unless set to postgres) */
  readonly backend?: 'sqlite' | 'postgres';
}

export interface TestServer {
  readonly url: string;
  readonly port: number;
  readonly dbDir: string;
  readonly process: ChildProcess;
  /** every line the server wrote to stdout and stderr so far */
  output(): string;
  /** SIGTERM and wait for exit; resolves to the exit code */
  stop(): Promise<number | null>;
  /** kill -9 and wait for exit */
  kill(): Promise<void>;
}

export const TEST_TOKENS = { api: 'test-api-token-0123456789', admin: 'test-admin-token-0123456789' } as const;

export function tempDir(prefix = 'ctfg-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts the real ctfg CLI (from source, through tsx) as a child process on
 * loopback, and resolves once it logs the address it listens on.
 */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dbDir = options.dbDir ?? tempDir('ctfg-db-');
  const backend = await backendArgs(dbDir, options.backend);
  const args = [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'src', 'main.ts'),
    '-g',
    options.gameDir ?? FIXTURE_GAME,
    '-b',
    dbDir,
    '--host',
    '127.0.0.1',
    '-p',
    String(options.port ?? 0),
    ...backend.args,
    ...(options.args ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      CTFG_API_TOKEN: TEST_TOKENS.api,
      CTFG_ADMIN_TOKEN: TEST_TOKENS.admin,
      CTFG_LOG_LEVEL: 'info',
      ...backend.env,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const m = /"port":(\d+)[^\n]*is serving/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dbDir,
    process: child,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      return waitForExit(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
  };
}

/** Runs the CLI to completion (for validate, init, bad-start cases). */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'main.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await waitForExit(child);
  clearTimeout(timer);
  return { code, stdout, stderr };
}
