/**
 * The one way the tests, the benchmark and the emulator's tests start a ctfg
 * (or any Node server) process: spawn, wait until it serves, keep its output,
 * stop it with a bounded grace period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root (tools/launch/… or dist/tools/launch/… → root). */
export const REPO_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

/** ctfg from source through tsx (tests), or the compiled entry (bench: no loader overhead). */
export const CTFG_SOURCE = { nodeArgs: ['--import', 'tsx'], entry: path.join(REPO_ROOT, 'src', 'main.ts') } as const;
export const CTFG_BUILT_ENTRY = path.join(REPO_ROOT, 'dist', 'src', 'main.js');

/** ctfg's start-up log line, which carries the port it listens on. */
const SERVING = /"port":(\d+)[^\n]*is serving/;

export interface ServerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** ms from spawn to serving */
  readonly startMs: number;
  /** what the process wrote to stdout and stderr (the head and the tail when capped) */
  output(): string;
  /** SIGTERM, wait up to `graceMs`, then SIGKILL; resolves to the exit code */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL and wait for the exit */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  /** the script Node runs */
  readonly entry: string;
  readonly args?: readonly string[];
  /** node flags before the entry, e.g. --import tsx or --cpu-prof */
  readonly nodeArgs?: readonly string[];
  /** the whole environment besides PATH and HOME (nothing else is inherited) */
  readonly env?: Record<string, string>;
  /** the port it was told to use; 0 or absent: read it from the "is serving" line */
  readonly port?: number;
  /** also ready once GET <readyPath> answers 200 (for a server logging below info) */
  readonly readyPath?: string;
  /** pin to these CPUs (a taskset list) */
  readonly cpus?: string | null;
  readonly timeoutMs?: number;
  /** keep at most this many characters of output (head + tail); default: all */
  readonly outputCap?: number;
}

/** A port that was free a moment ago (the OS picks it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves true once the child has exited, false after `ms` (forever when ms is undefined). */
export function waitForExit(child: ChildProcess, ms?: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = ms === undefined ? null : setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      if (timer) clearTimeout(timer);
      resolve(true);
    });
  });
}

/** True once GET <path> answers 200. */
function answers(host: string, port: number, urlPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: urlPath, timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

/** Output kept as a head (start-up lines) and a tail, so a chatty server cannot grow the caller's memory. */
class OutputLog {
  private head = '';
  private tail = '';
  constructor(private readonly cap: number) {}

  add(text: string): void {
    const half = this.cap / 2;
    if (this.head.length < half) {
      const room = half - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    this.tail = (this.tail + text).slice(-half);
  }

  text(): string {
    return this.tail.length === 0 || this.cap === Infinity ? this.head + this.tail : `${this.head}\n…\n${this.tail}`;
  }
}

function spawnChild(o: SpawnOptions): ChildProcess {
  const argv = [...(o.nodeArgs ?? []), o.entry, ...(o.args ?? [])];
  // taskset execs node in place: the pid stays the server's.
  const [command, commandArgs] = o.cpus ? ['taskset', ['-c', o.cpus, process.execPath, ...argv]] : [process.execPath, argv];
  return spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Polls until the process serves; resolves to its port. */
async function untilServing(child: ChildProcess, log: OutputLog, o: SpawnOptions): Promise<number> {
  const host = '127.0.0.1';
  const timeoutMs = o.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${o.name} exited with ${String(child.exitCode ?? child.signalCode)} before listening:\n${log.text().slice(-4000)}`);
    }
    const logged = SERVING.exec(log.text());
    if (logged) return o.port ? o.port : Number(logged[1]);
    if (o.port && o.readyPath && (await answers(host, o.port, o.readyPath))) return o.port;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${o.name} did not start within ${timeoutMs / 1000} s:\n${log.text().slice(-4000)}`);
    }
    await sleep(20);
  }
}

/** Spawns `node <nodeArgs> <entry> <args>` and waits until it serves. */
export async function spawnServer(o: SpawnOptions): Promise<ServerProcess> {
  const began = Date.now();
  const child = spawnChild(o);
  const log = new OutputLog(o.outputCap ?? Infinity);
  const onData = (chunk: Buffer): void => log.add(chunk.toString());
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const port = await untilServing(child, log, o);
  return {
    name: o.name,
    child,
    pid: child.pid as number,
    host: '127.0.0.1',
    port,
    url: `http://127.0.0.1:${port}`,
    startMs: Date.now() - began,
    output: () => log.text(),
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, graceMs))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
      return child.exitCode;
    },
    async kill() {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
  };
}

export interface CtfgProcessOptions {
  readonly gameDir: string;
  readonly dbDir: string;
  /** the compiled entry path, or the source (through tsx) when absent */
  readonly entry?: string;
  /** 0 or absent: an ephemeral port the OS picks */
  readonly port?: number;
  /** more ctfg arguments, e.g. --database/--redis */
  readonly args?: readonly string[];
  readonly env?: Record<string, string>;
  /** extra node flags, e.g. --cpu-prof */
  readonly nodeArgs?: readonly string[];
  readonly cpus?: string | null;
  readonly outputCap?: number;
}

/** Starts `ctfg -g <game> -b <db> --host 127.0.0.1 -p <port>` and waits until it serves. */
export function startCtfgProcess(o: CtfgProcessOptions): Promise<ServerProcess> {
  const source = o.entry === undefined;
  const port = o.port ?? 0;
  return spawnServer({
    name: 'ctfg',
    entry: o.entry ?? CTFG_SOURCE.entry,
    nodeArgs: [...(source ? CTFG_SOURCE.nodeArgs : []), ...(o.nodeArgs ?? [])],
    args: ['-g', o.gameDir, '-b', o.dbDir, '--host', '127.0.0.1', '-p', String(port), ...(o.args ?? [])],
    env: o.env ?? {},
    port,
    // Below info level the "is serving" line is not logged; /readyz says it instead (needs a known port).
    readyPath: '/readyz',
    cpus: o.cpus ?? null,
    ...(o.outputCap !== undefined ? { outputCap: o.outputCap } : {}),
  });
}

/** Runs the ctfg CLI from source to completion (validate, init, a refused start). */
export async function runCtfg(args: readonly string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [...CTFG_SOURCE.nodeArgs, CTFG_SOURCE.entry, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await waitForExit(child);
  clearTimeout(timer);
  return { code: child.exitCode, stdout, stderr };
}
