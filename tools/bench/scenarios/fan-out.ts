import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { topologyLabel, topologyVariant } from '../cluster.js';
import { cpuBetween, cpuCores, type CpuUse } from '../cpu.js';
import { type PgActivity } from '../pg-activity.js';
import { Fleet, type FleetReport } from '../fleet.js';
import { compatGame, playerCredentials, removeDir, tempDir } from '../game.js';
import { ProcWatch } from '../launcher.js';
import type { PacedResult } from '../load.js';
import { Api } from '../players.js';
import { atMost, type Metric, type ScenarioResult } from '../report.js';
import { serverLoop, tryScrape, type ServerLoop } from '../server-metrics.js';
import { MB, profileWindow, type ProfileSummary, settle, startScenarioCluster, stopScenarioCluster, type BenchContext } from './common.js';
import { FLOOR_MESSAGE_BYTES, measureFanOutFloor } from './fan-out-floor.js';
import { pacedSolves } from './solves.js';


interface Params {
  readonly sockets: number;
  /** sockets per logged-in player (the websocket_url token is reusable) */
  readonly socketsPerPlayer: number;
  readonly solvesPerSecond: number;
  readonly seconds: number;
}

interface Measured {
  readonly connected: Awaited<ReturnType<Fleet['connect']>>;
  readonly baseline: number;
  readonly solveRun: PacedResult;
  readonly report: FleetReport;
  /** per instance: peak RSS and CPU over the window */
  readonly serverUse: ReadonlyArray<ReturnType<ProcWatch['stop']>>;
  /** everything's CPU over the window (instances, PostgreSQL, Redis, bench, machine) */
  readonly cpu: CpuUse;
  readonly activity: PgActivity | null;
  readonly expected: number;
  /** CPU of the whole bench process (main thread + socket workers) over the window, in cores */
  readonly clientCores: number;
  /** the worst instance's event-loop delay */
  readonly loop: ServerLoop;
  /** broadcast batches over the whole server life, and the events in them */
  readonly batches: { readonly count: number; readonly events: number };
  /** event-loop delay of the bench's main thread (paced submits), ms */
  readonly mainLoop: { readonly lagP99Ms: number; readonly lagMaxMs: number };
  /** mean time ctfg took to write one batch to every socket (its /metrics, whole server life) */
  readonly writeMs: number;
}

const FULL: Params = { sockets: 10_000, socketsPerPlayer: 5, solvesPerSecond: 100, seconds: 30 };
const QUICK: Params = { sockets: 300, socketsPerPlayer: 5, solvesPerSecond: 50, seconds: 3 };

/**
 * The same load with the scoreboard frozen (a freeze an hour ago): players'
 * sockets then get only their own events, admins' all of them. It must cost
 * no more than without the freeze: one serialization per batch for players.
 */
export function fanOutFrozen(ctx: BenchContext): Promise<ScenarioResult> {
  return fanOut(ctx, true);
}

/** `sockets`: another number of listening sockets than the scenario's own (the full run's 10,000). */
export async function fanOut(ctx: BenchContext, frozen = false, sockets?: number): Promise<ScenarioResult> {
  const NAME = frozen ? 'fan-out-frozen' : 'fan-out';
  const began = performance.now();
  const p = { ...(ctx.quick ? QUICK : FULL), ...(sockets && !ctx.quick ? { sockets } : {}) };
  const topology = ctx.topology;
  const solves = p.solvesPerSecond * p.seconds;
  const socketPlayers = Math.ceil(p.sockets / p.socketsPerPlayer);
  const game0 = compatGame(ctx.fixtureDir, []);
  const solverCount = Math.ceil(solves / game0.order.length);
  removeDir(game0.dir);
  const creds = playerCredentials(Math.max(socketPlayers, solverCount));
  const game = compatGame(ctx.fixtureDir, creds);
  if (frozen) fs.writeFileSync(path.join(game.dir, 'event.yaml'), `freeze: ${new Date(Date.now() - 3_600_000).toISOString()}\n`);
  const dbDir = tempDir('ctfg-bench-db-');
  const fleet = Fleet.start(ctx.wsWorkers);
  const cluster = await startScenarioCluster(ctx, game.dir, dbDir, [game.dir, dbDir]).catch(async (err: unknown) => {
    await fleet.close();
    throw err;
  });
  const startMs = cluster.startMs;
  const n = cluster.ports.length;
  let profile: ProfileSummary | null;
  let measured: Measured;
  try {
    const [first] = cluster.instances;
    if (!first) throw new Error('no ctfg instance');
    const api = new Api(cluster.host, first.port, 32, cluster.ports);
    ctx.log(`  ctfg (${topologyLabel(topology)}): logging in ${creds.length} players`);
    const sessions = await api.loginAll(creds);
    api.close();
    // Socket i goes to instance i mod n, like a round-robin load balancer: a player's 5 sockets land on different instances.
    const lanes = Array.from({ length: p.sockets }, (_, i) => i % n);
    const urls = lanes.map((lane, i) => {
      const url = new URL((sessions[Math.floor(i / p.socketsPerPlayer)] ?? sessions[0])?.wsUrl ?? '');
      url.port = String(cluster.ports[lane]);
      return url.toString();
    });
    ctx.log(`  connecting ${p.sockets} sockets over ${fleet.size} worker threads${n > 1 ? `, spread over ${n} instances` : ''}`);
    const connected = await fleet.connect(urls, 100, lanes);
    if (connected.opened === 0) throw new Error(`no socket could connect: ${connected.errors.join('; ')}`);
    if (connected.baselineMin !== connected.baselineMax) ctx.log(`  note: first snapshots disagree on last_id (${connected.baselineMin}…${connected.baselineMax})`);
    const baseline = connected.baselineMax;

    ctx.log(`  ${solves} solves at ${p.solvesPerSecond}/s${n > 1 ? ' round robin over the instances' : ''} while ${connected.opened} sockets listen`);
    // Resets each server's event-loop histogram.
    await Promise.all(cluster.ports.map((port) => tryScrape(cluster.host, port)));
    const prof = await profileWindow(ctx, NAME, first);
    const sampler = await cluster.samplePostgres();
    const watches = cluster.pids.map((pid) => new ProcWatch(pid, 200));
    const cpu0 = cluster.cpu();
    const clientCpu0 = process.cpuUsage();
    const mainLag = monitorEventLoopDelay({ resolution: 10 });
    mainLag.enable();
    const window0 = performance.now();
    fleet.mark();
    const solveRun: PacedResult = await pacedSolves(cluster.host, cluster.ports, sessions.slice(0, solverCount), game, fleet, {
      rate: p.solvesPerSecond,
      total: solves,
      maxMs: p.seconds * 1000 + 30_000,
    });
    // Let the last batches arrive: until every socket has every event, or nothing moves for 2 s.
    let report: FleetReport = await fleet.report(baseline + solveRun.ok);
    // Frozen: a socket gets only its own player's events, so each solve is owed to its solver's sockets alone.
    const expected = frozen ? solveRun.ok * p.socketsPerPlayer : connected.opened * solveRun.ok;
    await settle(
      async () => (report = await fleet.report(baseline + solveRun.ok)).receipts,
      expected,
      2000,
      20_000,
    );
    const serverUse = watches.map((w) => w.stop());
    const cpu = cpuBetween(cpu0, cluster.cpu());
    const activity = sampler ? await sampler.stop() : null;
    profile = await prof.stop();
    const scrapes = await Promise.all(cluster.ports.map((port) => tryScrape(cluster.host, port)));
    const loops = scrapes.map(serverLoop);
    const worst = (f: (l: ServerLoop) => number): number => Math.max(...loops.map(f));
    const loop: ServerLoop = { lagP50Ms: worst((l) => l.lagP50Ms), lagP99Ms: worst((l) => l.lagP99Ms), lagMaxMs: worst((l) => l.lagMaxMs) };
    const sum = (name: string): number => scrapes.reduce((t, m) => t + (m.get(name) ?? NaN), 0);
    const batches = { count: sum('ctfg_broadcast_batch_events_count'), events: sum('ctfg_broadcast_batch_events_sum') };
    const writeMs = (1000 * sum('ctfg_broadcast_write_seconds_sum')) / sum('ctfg_broadcast_write_seconds_count');
    const clientCpu = process.cpuUsage(clientCpu0);
    mainLag.disable();
    const mainLoop = { lagP99Ms: mainLag.percentile(99) / 1e6, lagMaxMs: mainLag.max / 1e6 };
    const clientCores = (clientCpu.user + clientCpu.system) / 1000 / (performance.now() - window0);
    measured = { connected, baseline, solveRun, report, serverUse, cpu, activity, expected, clientCores, loop, batches, mainLoop, writeMs };
  } finally {
    await fleet.close();
    await stopScenarioCluster(ctx, cluster);
    removeDir(game.dir);
    removeDir(dbDir);
  }
  const { connected, baseline, solveRun, report, serverUse, cpu, activity, expected, clientCores, loop, batches, mainLoop, writeMs } = measured;
  // One instance, not frozen: the same sockets on a bare server, for what a batch costs before ctfg does anything.
  const floor = !frozen && n === 1 ? await measureFanOutFloor(ctx, connected.opened) : null;
  const cores = cpuCores(cpu);
  const onPostgres = topology.backend === 'postgres';
  const serverCores = serverUse.reduce((t, u) => t + u.cpuCores, 0);
  const serverRss = serverUse.reduce((t, u) => t + u.maxRssBytes, 0);
  const lat = report.latency;
  const rssMB = serverRss / MB;
  const metrics: Metric[] = [
    { label: 'delivery p50', value: lat.p50, unit: 'ms' },
    { label: 'delivery p99', value: lat.p99, unit: 'ms', target: atMost(lat.p99, 250, '≤ 250 ms', ctx.quick) },
    { label: 'delivery max', value: lat.max, unit: 'ms' },
  ];
  if (n > 1) {
    const same = report.latencySameInstance;
    const other = report.latencyOtherInstance;
    metrics.push(
      { label: 'delivery p50 same instance', value: same.p50, unit: 'ms (sockets on the instance that took the submit)' },
      { label: 'delivery p50 other instance', value: other.p50, unit: 'ms (through Redis)' },
      { label: 'delivery p99 same instance', value: same.p99, unit: 'ms' },
      { label: 'delivery p99 other instance', value: other.p99, unit: 'ms (through Redis)' },
    );
  }
  metrics.push(
    { label: 'delivered', value: expected > 0 ? (100 * report.receipts) / expected : null, unit: `% of ${expected.toLocaleString('en-US')}` },
    ...deliveryChecks(report, frozen, expected),
    { label: 'frames per socket', value: connected.opened > 0 ? report.messages / connected.opened : null, unit: `messages (${(batches.events / batches.count).toFixed(1)} events per batch${n > 1 ? ', each instance batching for its own sockets' : ''})` },
    { label: 'events per batch', value: batches.events / batches.count, unit: 'events' },
    {
      label: 'batch write to every socket',
      value: writeMs,
      floor: floor?.roundMs.p50 ?? null,
      ratio: floor ? writeMs / floor.roundMs.p50 : null,
      unit: 'ms mean',
    },
    ...(floor
      ? [{ label: 'floor write per socket', value: floor.perSocketUs, unit: `µs (bare ws server, one ${FLOOR_MESSAGE_BYTES} B message to ${floor.sockets} sockets, p50 of 20 loops)` }]
      : []),
    { label: 'server RSS peak', value: rssMB, unit: n > 1 ? `MB (sum of ${n} instances' peaks)` : 'MB', target: atMost(rssMB, 800, '≤ 800 MB', ctx.quick) },
    { label: 'server CPU', value: serverCores, unit: n > 1 ? `cores (sum of ${n} instances)` : 'cores' },
  );
  if (onPostgres) {
    metrics.push({ label: 'PostgreSQL CPU', value: cores.postgres, unit: 'cores' }, { label: 'Redis CPU', value: cores.redis, unit: 'cores' });
  }
  metrics.push(
    { label: 'machine CPU busy', value: cores.machine, unit: `of ${cores.nproc} cores` },
    { label: 'other processes CPU', value: cores.other, unit: 'cores (not ctfg, bench, PostgreSQL or Redis: other work, interrupt time)' },
    { label: 'sockets open', value: connected.opened, unit: `(${connected.failed} failed, ${report.unexpectedCloses} dropped)` },
    { label: 'server loop lag p99', value: loop.lagP99Ms, unit: `ms (max ${loop.lagMaxMs.toFixed(0)} ms)${n > 1 ? ', worst instance' : ''}` },
    { label: 'submit answer p99', value: solveRun.latencies.summary().p99, unit: 'ms' },
    { label: 'client lag p99', value: report.clientLagP99Ms, unit: `ms (max ${report.clientLagMaxMs.toFixed(0)} ms; submitter ${mainLoop.lagP99Ms.toFixed(0)}/${mainLoop.lagMaxMs.toFixed(0)} ms)` },
    { label: 'client CPU', value: clientCores, unit: 'cores' },
    { label: 'submits sent late p99', value: solveRun.lateness.p99, unit: 'ms' },
    { label: 'solve errors', value: solveRun.errors, unit: `of ${solveRun.sent}` },
  );
  return {
    scenario: NAME,
    variant: topologyVariant(topology),
    quick: ctx.quick,
    params: { ...p, solves, players: creds.length, solvers: solverCount, wsWorkers: fleet.size, backend: topology.backend, instances: n },
    metrics,
    details: {
      baseline,
      connect: connected,
      solves: {
        ok: solveRun.ok,
        errors: solveRun.errors,
        errorKinds: solveRun.errorKinds,
        sent: solveRun.sent,
        elapsedMs: solveRun.elapsedMs,
        sentLateMs: solveRun.lateness,
        slowestSubmits: solveRun.slowest,
        submitLatency: solveRun.latencies.summary(),
      },
      delivery: report,
      serverLoop: loop,
      submitterLoop: mainLoop,
      broadcastBatches: batches,
      batchWriteMs: writeMs,
      ...(floor ? { fanOutFloor: floor } : {}),
      server: {
        maxRssBytes: serverRss,
        cpuCores: serverCores,
        cpuMs: serverUse.reduce((t, u) => t + u.cpuMs, 0),
        startMs,
        ...(n > 1 ? { perInstance: serverUse } : {}),
      },
      cpuDuringWindow: { ms: cpu, cores },
      ...(activity ? { postgresActivity: activity } : {}),
      ...(profile ? { profile } : {}),
    },
    notes: [
      ...(frozen
        ? ['Frozen: a freeze an hour ago is in force, so a socket receives only its own player\'s events: each solve is owed to its solver\'s sockets alone (every solver has its own sockets here). "Missing" is what those sockets lacked, "leaked" what other sockets got on top; both must be 0.']
        : []),
      'Server loop lag: the event-loop delay ctfg reports in /metrics over the window (prom-client resets it at each scrape); submit answer: HTTP latency of the paced submits. Both are server-side stalls the sockets cannot cause.',
      'Delivery latency = time a socket worker received the event − time the submit was written (same clock, worker threads of one process); matched by displayname|challenge_id.',
      'Batch write: ctfg\'s mean time to write one batch to every socket (its /metrics ctfg_broadcast_write_seconds) beside the floor, a bare ws server writing one message framed once to as many sockets held by the same fleet. On loopback each write also carries the reader\'s receive work. An event waits for the batch being written, its own window, then its socket\'s turn in the next write: delivery p99 is about window + 2 × the write, whatever the code does on top of the floor.',
      `Sockets are held by ${fleet.size} worker threads of the bench process; "client lag" is their worst event-loop delay: when it nears the latency figures, the client is the bottleneck.`,
      ...(n > 1
        ? [
            `${n} instances on one PostgreSQL database and Redis: socket i is on instance i mod ${n} and solve k goes to instance k mod ${n}. "Same instance" deliveries were sent by the instance that took the submit; "other instance" ones came through Redis pub/sub. Every socket is checked to see every event exactly once and in id order, whichever instance it is on.`,
          ]
        : []),
      ...(onPostgres ? ['PostgreSQL and Redis CPU are whole-server figures over the window (other databases on the same server count too).'] : []),
    ],
    wallMs: performance.now() - began,
  };
}

/** The exactly-once rows: every socket every event, or (frozen) every solver's sockets their own events and nobody else anything. */
function deliveryChecks(report: FleetReport, frozen: boolean, expected: number): Metric[] {
  const { check } = report;
  const order = `${check.duplicates} dup, ${check.outOfOrder} out of order`;
  if (frozen) {
    const missing = Math.max(0, expected - report.receipts);
    const leaked = Math.max(0, report.receipts - expected);
    return [
      { label: 'exactly-once violations', value: missing + leaked + check.duplicates + check.outOfOrder, unit: '(0 expected)' },
      { label: 'missing / leaked', value: missing, unit: `missing, ${leaked} leaked to other players' sockets, ${order}` },
    ];
  }
  return [
    { label: 'exactly-once violations', value: check.missing + check.duplicates + check.unexpected + check.outOfOrder, unit: '(0 expected)' },
    { label: 'missing / duplicated', value: check.missing, unit: `missing, ${order}, ${check.unexpected} unexpected` },
  ];
}
