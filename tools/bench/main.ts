/**
 * `npm run bench`: starts ctfg on fresh databases, runs each scenario against
 * it and against a minimal "floor" server measured in the same run, prints a
 * table and writes bench/results/<date>-<scenario>.json. Targets are printed
 * for information; the exit code only reports whether the tools worked.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_CTFG_ENTRY, REPO_ROOT, ensureBuilt, pinBench } from './launcher.js';
import { formatProfile } from './profile.js';
import { formatTable, machineFacts, writeResult, type ScenarioResult } from './report.js';
import type { BenchContext, ProfileSummary } from './scenarios/common.js';
import { fanOut } from './scenarios/fan-out.js';
import { lateJoin } from './scenarios/late-join.js';
import { reconnectStorm } from './scenarios/reconnect-storm.js';
import { scoreboard } from './scenarios/scoreboard.js';
import { solveStorm } from './scenarios/solve-storm.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  'solve-storm': solveStorm,
  'fan-out': fanOut,
  'late-join': lateJoin,
  'reconnect-storm': reconnectStorm,
  scoreboard,
};

interface Flags {
  quick: boolean;
  scenario?: string[];
  out: string;
  ctfg: string;
  fixture: string;
  wsWorkers: number;
  cpuProf?: string | boolean;
  pin: boolean;
  build: boolean;
}

function positive(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64');
  return n;
}

function scenarioName(raw: string, previous: string[] | undefined): string[] {
  if (!(raw in SCENARIOS)) throw new InvalidArgumentError(`unknown scenario; one of: ${Object.keys(SCENARIOS).join(', ')}`);
  return [...(previous ?? []), raw];
}

const program = new Command('npm run bench --')
  .description('Benchmarks ctfg against a minimal Fastify floor on this machine; throughput is reported as a ratio to the floor.')
  .option('--quick', 'every scenario scaled down (under 2 minutes); fails only when a tool breaks, never on timing', false)
  .option('-s, --scenario <name>', `run only this scenario (repeatable): ${Object.keys(SCENARIOS).join(', ')}`, scenarioName)
  .option('-o, --out <dir>', 'where the JSON results go', path.join(REPO_ROOT, 'bench', 'results'))
  .option('--ctfg <main.js>', 'the compiled ctfg entry point to benchmark', DEFAULT_CTFG_ENTRY)
  .option('--fixture <dir>', 'the compat fixture game folder', path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'compat-game'))
  .option('--ws-workers <n>', 'worker threads holding scorestream sockets', positive, Math.max(2, Math.min(4, os.availableParallelism())))
  .option('--cpu-prof [dir]', 'CPU-profile ctfg over each measured window (inspector on loopback); print its top self-time functions, keep the .cpuprofile (default <out>/profiles)')
  .option('--pin', 'pin ctfg and the floor to CPU 0 and the bench to the other CPUs (taskset), so they do not trade time slices', false)
  .option('--no-build', 'do not build dist/ even when it is older than the sources')
  .addHelpText(
    'after',
    `
Scenarios:
  solve-storm      1,000 logged-in players × 15 correct submits, 64 in flight: throughput (× floor), p50/p95/p99
  fan-out          5,000 scorestream sockets, solves at 100/s for 30 s: solve-to-delivery latency, server RSS and CPU
  late-join        100,000 events from 2,000 players pre-filled: first-message bytes and time
  reconnect-storm  2,000 sockets dropped at once and resumed with &since=: time until all are back, lost/duplicated events
  scoreboard       GET /api/scoreboard, 64 in flight for 20 s with 2,000 players on the board: throughput (× floor), p99

The server and the floor run as separate plain-node processes from dist/ (built when stale).
Results: <out>/<YYYY-MM-DD>-<scenario>[-quick].json.`,
  )
  .parse(process.argv);

const flags = program.opts<Flags>();

async function main(): Promise<number> {
  const startedAt = new Date();
  const began = performance.now();
  const log = (line: string): void => console.log(line);
  const names = flags.scenario ?? Object.keys(SCENARIOS);
  if (flags.build) ensureBuilt(path.resolve(flags.ctfg), log);
  const cpuProfDir = flags.cpuProf === undefined || flags.cpuProf === false ? null : path.resolve(flags.cpuProf === true ? path.join(flags.out, 'profiles') : flags.cpuProf);
  const machine = machineFacts();
  const pinned = flags.pin ? pinBench(machine.nproc) : null;
  if (flags.pin) log(pinned ? `pinned: servers on CPU ${pinned.server}, bench on CPU ${pinned.client}` : 'note: --pin needs 2+ CPUs and taskset; running unpinned');
  const ctx: BenchContext = {
    quick: flags.quick,
    ctfgEntry: path.resolve(flags.ctfg),
    fixtureDir: path.resolve(flags.fixture),
    wsWorkers: flags.wsWorkers,
    cpuProfDir,
    serverCpus: pinned?.server ?? null,
    log,
  };
  const results: ScenarioResult[] = [];
  const failures: string[] = [];
  for (const name of names) {
    const run = SCENARIOS[name];
    if (!run) continue;
    log(`▶ ${name}${flags.quick ? ' (quick)' : ''}`);
    try {
      const result = await run(ctx);
      results.push(result);
      const file = writeResult(flags.out, result, machine, startedAt);
      log(`  done in ${(result.wallMs / 1000).toFixed(1)} s → ${path.relative(process.cwd(), file)}`);
      const profile = result.details.profile as ProfileSummary | undefined;
      if (profile) log(`  ctfg self time by function:\n${formatProfile(profile.functions)}\n  by module:\n${formatProfile(profile.modules)}`);
    } catch (err) {
      failures.push(name);
      log(`  ✗ ${name} broke: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }
  if (results.length > 0) log(`\n${formatTable(results, machine)}`);
  for (const r of results) for (const note of r.notes) log(`  ${r.scenario}: ${note}`);
  log(`\nwall time ${((performance.now() - began) / 1000).toFixed(1)} s${flags.quick ? ' (quick: targets not judged)' : ''}`);
  if (failures.length > 0) {
    log(`tool failures: ${failures.join(', ')}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  },
);
