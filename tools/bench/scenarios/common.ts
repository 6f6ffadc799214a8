import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCtfg, type RunningProcess } from '../launcher.js';
import { topSelfTime, type ProfileEntry } from '../profile.js';

/** What every scenario gets from the command line. */
export interface BenchContext {
  readonly quick: boolean;
  /** compiled ctfg entry (dist/src/main.js) */
  readonly ctfgEntry: string;
  /** the compat fixture game folder */
  readonly fixtureDir: string;
  /** worker threads holding the scorestream sockets */
  readonly wsWorkers: number;
  /** when set, ctfg runs with --cpu-prof and its profile is summarized into the result */
  readonly cpuProfDir: string | null;
  log(line: string): void;
}

export const MB = 2 ** 20;

/** Starts ctfg for a scenario (with --cpu-prof when asked). */
export function startScenarioCtfg(ctx: BenchContext, scenario: string, gameDir: string, dbDir: string): Promise<RunningProcess> {
  const nodeArgs: string[] = [];
  if (ctx.cpuProfDir) {
    fs.mkdirSync(ctx.cpuProfDir, { recursive: true });
    nodeArgs.push('--cpu-prof', '--cpu-prof-dir', ctx.cpuProfDir, '--cpu-prof-name', `${scenario}-${Date.now()}.cpuprofile`);
  }
  return startCtfg({ entry: ctx.ctfgEntry, gameDir, dbDir, nodeArgs });
}

/**
 * Stops ctfg; with --cpu-prof, returns the top self-time functions of the
 * profile it wrote on exit.
 */
export async function stopScenarioCtfg(ctx: BenchContext, scenario: string, proc: RunningProcess): Promise<ProfileEntry[] | null> {
  const code = await proc.stop();
  if (code !== 0 && code !== null) ctx.log(`  note: ctfg exited with ${code}`);
  if (!ctx.cpuProfDir) return null;
  const dir = ctx.cpuProfDir;
  // The profile is written during exit; give the file system a moment.
  for (let i = 0; i < 20; i++) {
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(`${scenario}-`) && f.endsWith('.cpuprofile'))
      .map((f) => path.join(dir, f))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    if (files[0]) {
      ctx.log(`  cpu profile: ${files[0]}`);
      return topSelfTime(files[0], 15);
    }
    await sleep(250);
  }
  ctx.log('  note: no cpu profile was written');
  return null;
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
