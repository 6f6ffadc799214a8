import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CTFG_BUILT_ENTRY, freePort, REPO_ROOT, spawnServer, startCtfgProcess, type ServerProcess } from '../launch/ctfg-process.js';

export { REPO_ROOT };

export const DEFAULT_CTFG_ENTRY = CTFG_BUILT_ENTRY;
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
    mtime(FLOOR_ENTRY) < newestMtime(path.join(REPO_ROOT, 'tools'));
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

/** A server the bench started (ctfg or the floor). */
export type RunningProcess = ServerProcess;

/** Output the bench keeps per process: a chatty server must not grow the bench's memory. */
const OUTPUT_CAP = 24_000;

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
  // Thousands of bench sockets come from one loopback address.
  CTFG_WS_PER_ADDRESS: '1000000',
  CTFG_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
  CTFG_API_TOKEN: 'bench-api-token-0123456789abcdef',
};

export async function startCtfg(o: CtfgOptions): Promise<RunningProcess> {
  return startCtfgProcess({
    ...o,
    // A port known in advance: at warn level ctfg does not log the one it got.
    port: await freePort(),
    env: { ...CTFG_BENCH_ENV, ...o.env },
    outputCap: OUTPUT_CAP,
  });
}

export type FloorMode = { readonly kind: 'submit'; readonly dbDir: string } | { readonly kind: 'read'; readonly bodyBytes: number } | { readonly kind: 'fanout' };

/** The floor: a minimal Fastify server doing only the essential work, in its own process like ctfg. */
export async function startFloor(mode: FloorMode, cpus: string | null = null): Promise<RunningProcess> {
  const port = await freePort();
  const args =
    mode.kind === 'submit' ? ['--mode', 'submit', '--db', mode.dbDir] : mode.kind === 'read' ? ['--mode', 'read', '--body-bytes', String(mode.bodyBytes)] : ['--mode', 'fanout'];
  return spawnServer({ name: 'floor', entry: FLOOR_ENTRY, args: [...args, '--port', String(port), '--host', '127.0.0.1'], port, cpus, outputCap: OUTPUT_CAP });
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
