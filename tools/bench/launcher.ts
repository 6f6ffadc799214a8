import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository root (tools/bench/… or dist/tools/bench/… → root). */
export const REPO_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();

export const DEFAULT_CTFG_ENTRY = path.join(REPO_ROOT, 'dist', 'src', 'main.js');
export const FLOOR_ENTRY = path.join(REPO_ROOT, 'dist', 'tools', 'bench', 'floor-server.js');
export const WORKER_ENTRY = path.join(REPO_ROOT, 'dist', 'tools', 'bench', 'ws-worker.js');

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function mtime(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
}

/**
 * Makes sure the compiled server, floor and socket worker are at least as
 * new as their sources: they run as plain `node` (tsx would add start-up and
 * loader overhead to one side, and its loader does not reach worker threads). Builds with `tsc -p tsconfig.build.json` when stale.
 */
export function ensureBuilt(ctfgEntry: string, log: (line: string) => void): void {
  const custom = ctfgEntry !== DEFAULT_CTFG_ENTRY;
  const stale =
    (!custom && mtime(ctfgEntry) < newestMtime(path.join(REPO_ROOT, 'src'))) ||
    mtime(FLOOR_ENTRY) < newestMtime(path.join(REPO_ROOT, 'tools', 'bench'));
  if (stale) {
    log('dist/ is missing or older than the sources: building with `npx tsc -p tsconfig.build.json` …');
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) {
      // tsc still emits on type errors; go on if the entry points exist, but say so.
      log(`warning: tsc exited with ${String(r.status)}:\n${(r.stdout + r.stderr).split('\n').slice(0, 10).join('\n')}`);
    }
  }
  for (const file of [ctfgEntry, FLOOR_ENTRY, WORKER_ENTRY]) {
    if (!fs.existsSync(file)) throw new Error(`${file} does not exist: run \`npm run build\` (or npx tsc -p tsconfig.build.json) first`);
  }
}

export interface ProcSample {
  readonly cpuMs: number;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

/** Clock ticks per second of /proc's CPU times. */
export const CLK_TCK = ((): number => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** CPU time (user + system) and memory of a process, from /proc; null when gone. */
export function readProc(pid: number): ProcSample | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { cpuMs: (ticks * 1000) / CLK_TCK, rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` and its CPU over the watched span. */
export class ProcWatch {
  private readonly timer: NodeJS.Timeout;
  private readonly start: ProcSample | null;
  private readonly startAt = Date.now();
  private maxRss = 0;

  constructor(
    private readonly pid: number,
    everyMs = 250,
  ) {
    this.start = readProc(pid);
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  private sample(): ProcSample | null {
    const s = readProc(this.pid);
    if (s) this.maxRss = Math.max(this.maxRss, s.rssBytes);
    return s;
  }

  /** Stops sampling: peak RSS seen, and CPU used as a share of one core (1.0 = one core busy). */
  stop(): { maxRssBytes: number; cpuCores: number; cpuMs: number } {
    clearInterval(this.timer);
    const end = this.sample();
    const wall = Date.now() - this.startAt;
    const cpuMs = end && this.start ? end.cpuMs - this.start.cpuMs : NaN;
    return { maxRssBytes: this.maxRss, cpuCores: wall > 0 ? cpuMs / wall : NaN, cpuMs };
  }
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  readonly host: string;
  /** ms from spawn to "is serving" */
  readonly startMs: number;
  output(): string;
  /** SIGTERM, wait (bounded), SIGKILL if needed; resolves to the exit code */
  stop(): Promise<number | null>;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
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

/**
 * Spawns `node <nodeArgs> <entry> <args>` listening on `port` and waits until
 * it is ready: its `"port":N … is serving` log line (ctfg logs it at info
 * level; the bench runs ctfg at warn) or a 200 from `readyPath`.
 */
export async function startProcess(
  name: string,
  entry: string,
  args: readonly string[],
  env: Record<string, string>,
  o: { readonly port: number; readonly readyPath?: string; readonly nodeArgs?: readonly string[]; readonly cpus?: string | null },
): Promise<RunningProcess> {
  const began = Date.now();
  const host = '127.0.0.1';
  const argv = [...(o.nodeArgs ?? []), entry, ...args];
  // taskset execs node in place: the pid stays the server's.
  const [command, commandArgs] = o.cpus ? ['taskset', ['-c', o.cpus, process.execPath, ...argv]] : [process.execPath, argv];
  const child = spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The head (start-up lines, the inspector URL) and the tail: a chatty server must not grow the bench's memory.
  let head = '';
  let output = '';
  let exited: number | null | undefined;
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString();
    if (head.length < 4000) head += text.slice(0, 4000 - head.length);
    output = (output + text).slice(-20_000);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited with ${String(exited)} before listening:\n${output.slice(-2000)}`);
    if (/"port":\d+[^\n]*is serving/.test(output)) break;
    if (o.readyPath && (await answers(host, o.port, o.readyPath))) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start within 60 s:\n${output.slice(-2000)}`);
    }
    await sleep(25);
  }
  const startMs = Date.now() - began;
  return {
    name,
    pid: child.pid as number,
    port: o.port,
    host,
    startMs,
    output: () => (output.startsWith(head) ? output : `${head}\n…\n${output}`),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 15_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
      return child.exitCode;
    },
  };
}

export interface CtfgOptions {
  readonly entry: string;
  readonly gameDir: string;
  readonly dbDir: string;
  /** extra node flags, e.g. --cpu-prof */
  readonly nodeArgs?: readonly string[];
  /** pin to these CPUs (taskset list), or null */
  readonly cpus?: string | null;
  /** more ctfg arguments, e.g. --database/--redis */
  readonly args?: readonly string[];
  /** more environment, e.g. CTFG_REDIS_PREFIX */
  readonly env?: Record<string, string>;
}

/** Environment the bench runs ctfg with: quiet logs, limits a single-address load generator does not trip. */
export const CTFG_BENCH_ENV: Record<string, string> = {
  CTFG_LOG_LEVEL: 'warn',
  CTFG_RATE_LOGIN_ADDRESS: '100000,0.001',
  CTFG_RATE_LOGIN_USER: '100000,0.001',
  CTFG_RATE_SET_NAME: '100000,0.001',
  CTFG_RATE_SUBMIT: '100000,0.001',
  CTFG_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
  CTFG_API_TOKEN: 'bench-api-token-0123456789abcdef',
};

export async function startCtfg(o: CtfgOptions): Promise<RunningProcess> {
  const port = await freePort();
  const args = ['-g', o.gameDir, '-b', o.dbDir, '-p', String(port), '--host', '127.0.0.1', ...(o.args ?? [])];
  return startProcess('ctfg', o.entry, args, { ...CTFG_BENCH_ENV, ...o.env }, { port, readyPath: '/readyz', nodeArgs: o.nodeArgs ?? [], cpus: o.cpus ?? null });
}

export type FloorMode = { readonly kind: 'submit'; readonly dbDir: string } | { readonly kind: 'read'; readonly bodyBytes: number };

/** The floor: a minimal Fastify server doing only the essential work, in its own process like ctfg. */
export async function startFloor(mode: FloorMode, cpus: string | null = null): Promise<RunningProcess> {
  const port = await freePort();
  const args = mode.kind === 'submit' ? ['--mode', 'submit', '--db', mode.dbDir] : ['--mode', 'read', '--body-bytes', String(mode.bodyBytes)];
  return startProcess('floor', FLOOR_ENTRY, [...args, '--port', String(port), '--host', '127.0.0.1'], {}, { port, cpus });
}

/**
 * CPU pinning for --pin: servers on CPU 0, the bench (and its socket worker
 * threads, created later) on the others, so client and server stop trading
 * time slices. Null when the machine has one CPU or taskset is missing.
 */
export function pinBench(nproc: number): { server: string; client: string } | null {
  if (nproc < 2) return null;
  const client = nproc === 2 ? '1' : `1-${nproc - 1}`;
  const r = spawnSync('taskset', ['-a', '-p', '-c', client, String(process.pid)], { encoding: 'utf8' });
  return r.status === 0 ? { server: '0', client } : null;
}
