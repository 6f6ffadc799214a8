/**
 * `npm run bench`: starts ctfg on fresh databases, runs each scenario against
 * it and against a minimal "floor" server measured in the same run, prints a
 * table and writes bench/results/<date>-<scenario>.json. Targets are printed
 * for information; the exit code only reports whether the tools worked.
 * --instances/--backend run solve-storm and fan-out on several instances
 * (PostgreSQL + Redis); --compare-instances runs them three ways side by side.
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command, InvalidArgumentError } from 'commander';
import { resolveServices, SINGLE_SQLITE, topologyLabel, type Backend, type ServiceUrls, type Topology } from './cluster.js';
import { DEFAULT_CTFG_ENTRY, REPO_ROOT, ensureBuilt, pinBench } from './launcher.js';
import { formatProfile } from './profile.js';
import { backendCpuRatio, formatComparison, formatTable, machineFacts, writeComparison, writeResult, type MachineFacts, type ScenarioResult } from './report.js';
import type { BenchContext, ProfileSummary } from './scenarios/common.js';
import { dynamicScoring } from './scenarios/dynamic-scoring.js';
import { fanOut, fanOutFrozen } from './scenarios/fan-out.js';
import { lateJoin } from './scenarios/late-join.js';
import { reconnectStorm } from './scenarios/reconnect-storm.js';
import { scoreboard } from './scenarios/scoreboard.js';
import { solveStorm } from './scenarios/solve-storm.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  'solve-storm': solveStorm,
  'fan-out': fanOut,
  'fan-out-frozen': fanOutFrozen,
  'late-join': lateJoin,
  'reconnect-storm': reconnectStorm,
  scoreboard,
  'dynamic-scoring': dynamicScoring,
};

/** The scenarios --instances and --backend apply to; the others always run one instance on SQLite. */
const MULTI_INSTANCE = ['solve-storm', 'fan-out', 'fan-out-frozen'];

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
  instances: number;
  backend?: Backend;
  compareInstances: boolean;
  compareBackends: boolean;
  postgres?: string;
  redis?: string;
}

function positive(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64');
  return n;
}

function backendName(raw: string): Backend {
  if (raw !== 'sqlite' && raw !== 'postgres') throw new InvalidArgumentError('sqlite or postgres');
  return raw;
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
  .option('--fixture <dir>', 'the game folder to load (default: the tests\' own fixture game)', path.resolve(REPO_ROOT, 'test', 'fixtures', 'game'))
  .option('--ws-workers <n>', 'worker threads holding scorestream sockets', positive, Math.max(2, Math.min(4, os.availableParallelism())))
  .option('--cpu-prof [dir]', 'CPU-profile ctfg over each measured window (inspector on loopback); print its top self-time functions, keep the .cpuprofile (default <out>/profiles)')
  .option('--pin', 'pin ctfg and the floor to CPU 0 and the bench to the other CPUs (taskset), so they do not trade time slices', false)
  .option('--no-build', 'do not build dist/ even when it is older than the sources')
  .option('--instances <n>', 'run solve-storm and fan-out on n ctfg instances of one game (PostgreSQL + Redis when n > 1), load spread round robin', positive, 1)
  .option('--backend <sqlite|postgres>', 'backend for solve-storm and fan-out (default sqlite; postgres when --instances > 1)', backendName)
  .option('--compare-instances', 'run solve-storm and fan-out on SQLite ×1, PostgreSQL+Redis ×1 and PostgreSQL+Redis ×N (N = --instances, default 3); one table, <out>/<date>-instances.json', false)
  .option('--compare-backends', 'like --compare-instances with SQLite ×1 and PostgreSQL+Redis ×1 only: the CPU-per-solve target (≤ 2×)', false)
  .option('--postgres <url>', 'PostgreSQL admin URL for --backend postgres (default $CTFG_TEST_POSTGRES_URL); a fresh database is created per run and dropped after')
  .option('--redis <url>', 'Redis URL for --backend postgres (default $CTFG_TEST_REDIS_URL); each run uses its own key prefix')
  .addHelpText(
    'after',
    `
Scenarios:
  solve-storm      1,000 logged-in players × 15 correct submits, 64 in flight: throughput (× floor), p50/p95/p99
  fan-out          10,000 scorestream sockets, solves at 100/s for 30 s: solve-to-delivery latency, server RSS and CPU
  fan-out-frozen   the same with the scoreboard frozen (each socket gets only its own events): must cost no more
  late-join        100,000 events from 2,000 players pre-filled: first-message bytes and time
  reconnect-storm  10,000 sockets dropped at once and resumed with &since=: time until all are back, lost/duplicated events, first-message bytes
  scoreboard       GET /api/scoreboard (browser encodings), 64 in flight with 2,000 players: × floor, × its 100-row page, bytes on the wire
  dynamic-scoring  fan-out static vs every challenge dynamic (p99 ≤ 1.5×), solve-storm on the dynamic game, board patch sizes

Several instances (solve-storm and fan-out only; the others stay single-instance SQLite):
  eval "$(scripts/services.sh start)"          # throwaway PostgreSQL + Redis on loopback
  npm run bench -- --instances 3 -s solve-storm -s fan-out
  npm run bench -- --compare-instances         # SQLite ×1 vs PostgreSQL+Redis ×1 vs ×3

The server and the floor run as separate plain-node processes from dist/ (built when stale).
Results: <out>/<YYYY-MM-DD>-<scenario>[-postgres-xN][-quick].json; --compare-instances: <out>/<YYYY-MM-DD>-instances[-quick].json.`,
  )
  .parse(process.argv);

const flags = program.opts<Flags>();

interface Plan {
  /** the topology solve-storm and fan-out run on (ignored by --compare-instances) */
  readonly topology: Topology;
  /** --compare-instances: the configurations, in order */
  readonly compare: readonly Topology[] | null;
  readonly services: ServiceUrls | null;
}

function plan(): Plan {
  const n = flags.instances;
  if (flags.backend === 'sqlite' && n > 1) throw new Error('--instances > 1 needs --backend postgres (SQLite is one process\'s file)');
  const backend: Backend = flags.backend ?? (n > 1 ? 'postgres' : 'sqlite');
  const compare = flags.compareInstances
    ? [SINGLE_SQLITE, { backend: 'postgres', instances: 1 } as const, { backend: 'postgres', instances: n > 1 ? n : 3 } as const]
    : flags.compareBackends
      ? [SINGLE_SQLITE, { backend: 'postgres', instances: 1 } as const]
      : null;
  const needsServices = backend === 'postgres' || compare !== null;
  return {
    topology: { backend, instances: n },
    compare,
    services: needsServices ? resolveServices(flags.postgres, flags.redis) : null,
  };
}

function loadLine(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const began = performance.now();
  const log = (line: string): void => console.log(line);
  let chosen: Plan;
  try {
    chosen = plan();
  } catch (err) {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  const { topology, compare, services } = chosen;
  let names = flags.scenario ?? Object.keys(SCENARIOS);
  if (compare) {
    names = names.filter((n) => MULTI_INSTANCE.includes(n));
    if (names.length === 0) {
      console.error(`error: --compare-instances runs ${MULTI_INSTANCE.join(' and ')}; -s named neither`);
      return 2;
    }
  }
  if (flags.build) ensureBuilt(path.resolve(flags.ctfg), log);
  const cpuProfDir = flags.cpuProf === undefined || flags.cpuProf === false ? null : path.resolve(flags.cpuProf === true ? path.join(flags.out, 'profiles') : flags.cpuProf);
  const machine = machineFacts();
  const pinned = flags.pin ? pinBench(machine.nproc) : null;
  if (flags.pin) log(pinned ? `pinned: servers on CPU ${pinned.server}, bench on CPU ${pinned.client}` : 'note: --pin needs 2+ CPUs and taskset; running unpinned');
  const base: BenchContext = {
    quick: flags.quick,
    ctfgEntry: path.resolve(flags.ctfg),
    fixtureDir: path.resolve(flags.fixture),
    wsWorkers: flags.wsWorkers,
    cpuProfDir,
    serverCpus: pinned?.server ?? null,
    topology: SINGLE_SQLITE,
    services,
    log,
  };
  if (cpuProfDir && (topology.instances > 1 || (compare?.some((t) => t.instances > 1) ?? false))) log('note: --cpu-prof profiles the first instance only');
  const failures: string[] = [];
  const runOne = async (name: string, t: Topology): Promise<ScenarioResult | null> => {
    const run = SCENARIOS[name];
    if (!run) return null;
    const multi = MULTI_INSTANCE.includes(name);
    const used = multi ? t : SINGLE_SQLITE;
    const asked = t.backend !== 'sqlite' || t.instances > 1;
    const note = asked && !multi ? ' (single-instance SQLite: --instances and --backend apply to solve-storm and fan-out only)' : '';
    log(`▶ ${name}${asked && multi ? ` on ${topologyLabel(used)}` : ''}${flags.quick ? ' (quick)' : ''}${note}`);
    try {
      const result = await run({ ...base, topology: used });
      log(`  done in ${(result.wallMs / 1000).toFixed(1)} s`);
      const profile = result.details.profile as ProfileSummary | undefined;
      if (profile) log(`  ctfg self time by function:\n${formatProfile(profile.functions)}\n  by module:\n${formatProfile(profile.modules)}`);
      return result;
    } catch (err) {
      failures.push(`${name}${multi ? ` (${topologyLabel(used)})` : ''}`);
      log(`  ✗ ${name} broke: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return null;
    }
  };

  if (compare) {
    const loadBefore = loadLine();
    log(`load average before: ${loadBefore}`);
    const columns = compare.map((t) => ({ label: topologyLabel(t), topology: t, results: [] as ScenarioResult[] }));
    for (const name of names) {
      for (const column of columns) {
        const result = await runOne(name, column.topology);
        if (result) column.results.push(result);
      }
    }
    const loadAfter = loadLine();
    const after: MachineFacts = { ...machine, loadAvg: os.loadavg().map((n) => Math.round(n * 100) / 100) };
    const table = formatComparison(columns, names, after);
    log(`\n${table}`);
    log(`load average before: ${loadBefore} · after: ${loadAfter}`);
    const target1 = backendCpuRatio(columns, flags.quick);
    if (target1) log(target1.line);
    for (const column of columns) for (const r of column.results) for (const note of r.notes) log(`  ${r.scenario} (${column.label}): ${note}`);
    const file = writeComparison(
      flags.out,
      {
        quick: flags.quick,
        machine,
        load: { before: loadBefore, after: loadAfter },
        configurations: columns.map((c) => ({ label: c.label, ...c.topology })),
        table,
        ...(target1 ? { cpuPerSolve: { sqliteMs: target1.sqliteMs, postgresMs: target1.postgresMs, ratio: target1.ratio, target: '≤ 2×' } } : {}),
        results: columns.flatMap((c) => c.results.map((r) => ({ configuration: c.label, ...r }))),
      },
      startedAt,
      flags.compareInstances ? 'instances' : 'backends',
    );
    log(`→ ${path.relative(process.cwd(), file)}`);
  } else {
    const results: ScenarioResult[] = [];
    for (const name of names) {
      const result = await runOne(name, topology);
      if (!result) continue;
      results.push(result);
      const file = writeResult(flags.out, result, machine, startedAt);
      log(`  → ${path.relative(process.cwd(), file)}`);
    }
    if (results.length > 0) log(`\n${formatTable(results, machine)}`);
    for (const r of results) for (const note of r.notes) log(`  ${r.scenario}: ${note}`);
  }
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
