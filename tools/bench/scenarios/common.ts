import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeDir } from '../game.js';
import { inspectorUrl, WindowProfiler } from '../inspector.js';
import { startCluster, type Cluster, type ServiceUrls, type Topology } from '../cluster.js';
import { startCtfg, type RunningProcess } from '../launcher.js';
import { moduleOf, topSelfTime, type ProfileEntry } from '../profile.js';

/** What every scenario gets from the command line. */
export interface BenchContext {
  readonly quick: boolean;
  /** compiled ctfg entry (dist/src/main.js) */
  readonly ctfgEntry: string;
  /** the compat fixture game folder */
  readonly fixtureDir: string;
  /** worker threads holding the scorestream sockets */
  readonly wsWorkers: number;
  /** when set, ctfg's measured windows are CPU-profiled into this folder and summarized into the result */
  readonly cpuProfDir: string | null;
  /** --pin: CPUs (taskset list) for ctfg and the floor; the bench runs on the others */
  readonly serverCpus: string | null;
  /**
   * How solve-storm and fan-out run ctfg (--instances, --backend); the other
   * scenarios always run one instance on SQLite.
   */
  readonly topology: Topology;
  /** PostgreSQL (admin URL) and Redis for --backend postgres; null on SQLite */
  readonly services: ServiceUrls | null;
  log(line: string): void;
}

export const MB = 2 ** 20;

/**
 * Starts ctfg for a scenario (with the inspector open on loopback when
 * --cpu-prof asks for profiles). If it cannot start, the scenario's temp
 * folders are removed before the error goes on.
 */
export async function startScenarioCtfg(ctx: BenchContext, gameDir: string, dbDir: string, cleanup: readonly string[] = []): Promise<RunningProcess> {
  const nodeArgs = ctx.cpuProfDir ? ['--inspect=127.0.0.1:0'] : [];
  try {
    return await startCtfg({ entry: ctx.ctfgEntry, gameDir, dbDir, nodeArgs, cpus: ctx.serverCpus });
  } catch (err) {
    for (const dir of cleanup) removeDir(dir);
    throw err;
  }
}

export async function stopScenarioCtfg(ctx: BenchContext, proc: RunningProcess): Promise<void> {
  const code = await proc.stop();
  if (code !== 0 && code !== null) ctx.log(`  note: ctfg exited with ${code}`);
}

/**
 * Starts ctfg as `ctx.topology` says: one instance on SQLite, or N on a fresh
 * PostgreSQL database and Redis prefix. With --cpu-prof only the first
 * instance gets the inspector. On failure the temp folders are removed.
 */
export async function startScenarioCluster(ctx: BenchContext, gameDir: string, dbDir: string, cleanup: readonly string[] = []): Promise<Cluster> {
  try {
    return await startCluster({
      entry: ctx.ctfgEntry,
      gameDir,
      dbDir,
      topology: ctx.topology,
      services: ctx.services,
      firstNodeArgs: ctx.cpuProfDir ? ['--inspect=127.0.0.1:0'] : [],
      cpus: ctx.serverCpus,
    });
  } catch (err) {
    for (const dir of cleanup) removeDir(dir);
    throw err;
  }
}

export async function stopScenarioCluster(ctx: BenchContext, cluster: Cluster): Promise<void> {
  for (const note of await cluster.stop()) ctx.log(`  note: ${note}`);
}

export interface ProfileSummary {
  readonly file: string;
  /** the functions with the most self time */
  readonly functions: ProfileEntry[];
  /** self time by package / source folder */
  readonly modules: ProfileEntry[];
}

export interface ProfileWindow {
  /** ends the window; its summary, or null when not profiling */
  stop(): Promise<ProfileSummary | null>;
}

/**
 * With --cpu-prof: starts a CPU profile of ctfg now (through its inspector),
 * to be stopped when the measured part ends; the .cpuprofile is kept in the
 * profile folder. Without: a window that does nothing.
 */
export async function profileWindow(ctx: BenchContext, scenario: string, proc: RunningProcess): Promise<ProfileWindow> {
  const dir = ctx.cpuProfDir;
  const url = inspectorUrl(proc.output());
  if (!dir) return { stop: async () => null };
  if (!url) {
    ctx.log('  note: ctfg printed no inspector URL; no profile');
    return { stop: async () => null };
  }
  const profiler = await WindowProfiler.connect(url);
  await profiler.start();
  return {
    async stop() {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      await profiler.stop(file);
      ctx.log(`  cpu profile of the measured window: ${path.relative(process.cwd(), file)}`);
      return { file, functions: topSelfTime(file, 15), modules: topSelfTime(file, 12, moduleOf) };
    },
  };
}

/** Polls `value` until it stops changing for `quietMs` or reaches `target`, bounded by `maxMs`. */
export async function settle(value: () => Promise<number>, target: number, quietMs: number, maxMs: number): Promise<number> {
  const stopAt = Date.now() + maxMs;
  let last = await value();
  let changedAt = Date.now();
  while (last < target && Date.now() < stopAt && Date.now() - changedAt < quietMs) {
    await sleep(Math.min(500, quietMs / 2));
    const now = await value();
    if (now !== last) changedAt = Date.now();
    last = now;
  }
  return last;
}
