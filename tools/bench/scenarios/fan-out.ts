import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Fleet, type FleetReport } from '../fleet.js';
import { compatGame, playerCredentials, removeDir, tempDir } from '../game.js';
import { ProcWatch } from '../launcher.js';
import type { PacedResult } from '../load.js';
import { Api } from '../players.js';
import { atMost, type ScenarioResult } from '../report.js';
import { serverLoop, tryScrape, type ServerLoop } from '../server-metrics.js';
import { MB, profileWindow, type ProfileSummary, settle, startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';
import { pacedSolves } from './solves.js';

const NAME = 'fan-out';

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
  readonly serverUse: ReturnType<ProcWatch['stop']>;
  readonly expected: number;
  /** CPU of the whole bench process (main thread + socket workers) over the window, in cores */
  readonly clientCores: number;
  readonly loop: ServerLoop;
  /** broadcast batches over the whole server life, and the events in them */
  readonly batches: { readonly count: number; readonly events: number };
  /** event-loop delay of the bench's main thread (paced submits), ms */
  readonly mainLoop: { readonly lagP99Ms: number; readonly lagMaxMs: number };
}

const FULL: Params = { sockets: 5000, socketsPerPlayer: 5, solvesPerSecond: 100, seconds: 30 };
const QUICK: Params = { sockets: 300, socketsPerPlayer: 5, solvesPerSecond: 50, seconds: 3 };

export async function fanOut(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  const solves = p.solvesPerSecond * p.seconds;
  const socketPlayers = Math.ceil(p.sockets / p.socketsPerPlayer);
  const game0 = compatGame(ctx.fixtureDir, []);
  const solverCount = Math.ceil(solves / game0.order.length);
  removeDir(game0.dir);
  const creds = playerCredentials(Math.max(socketPlayers, solverCount));
  const game = compatGame(ctx.fixtureDir, creds);
  const dbDir = tempDir('ctfg-bench-db-');
  const fleet = Fleet.start(ctx.wsWorkers);
  const server = await startScenarioCtfg(ctx, game.dir, dbDir, [game.dir, dbDir]).catch(async (err: unknown) => {
    await fleet.close();
    throw err;
  });
  const startMs = server.startMs;
  let profile: ProfileSummary | null;
  let measured: Measured;
  try {
    const api = new Api(server.host, server.port, 32);
    ctx.log(`  logging in ${creds.length} players`);
    const sessions = await api.loginAll(creds);
    api.close();
    const urls = Array.from({ length: p.sockets }, (_, i) => (sessions[Math.floor(i / p.socketsPerPlayer)] ?? sessions[0])?.wsUrl ?? '');
    ctx.log(`  connecting ${p.sockets} sockets over ${fleet.size} worker threads`);
    const connected = await fleet.connect(urls, 100);
    if (connected.opened === 0) throw new Error(`no socket could connect: ${connected.errors.join('; ')}`);
    const baseline = connected.baselineMax;

    ctx.log(`  ${solves} solves at ${p.solvesPerSecond}/s while ${connected.opened} sockets listen`);
    await tryScrape(server.host, server.port); // resets the server's event-loop histogram
    const prof = await profileWindow(ctx, NAME, server);
    const watch = new ProcWatch(server.pid, 200);
    const clientCpu0 = process.cpuUsage();
    const mainLag = monitorEventLoopDelay({ resolution: 10 });
    mainLag.enable();
    const window0 = performance.now();
    fleet.mark();
    const solveRun: PacedResult = await pacedSolves(server.host, server.port, sessions.slice(0, solverCount), game, fleet, {
      rate: p.solvesPerSecond,
      total: solves,
      maxMs: p.seconds * 1000 + 30_000,
    });
    // Let the last batches arrive: until every socket has every event, or nothing moves for 2 s.
    let report: FleetReport = await fleet.report(baseline + solveRun.ok);
    const expected = connected.opened * solveRun.ok;
    await settle(
      async () => (report = await fleet.report(baseline + solveRun.ok)).receipts,
      expected,
      2000,
      20_000,
    );
    const serverUse = watch.stop();
    profile = await prof.stop();
    const metrics = await tryScrape(server.host, server.port);
    const loop = serverLoop(metrics);
    const batches = { count: metrics.get('ctfg_broadcast_batch_events_count') ?? NaN, events: metrics.get('ctfg_broadcast_batch_events_sum') ?? NaN };
    const clientCpu = process.cpuUsage(clientCpu0);
    mainLag.disable();
    const mainLoop = { lagP99Ms: mainLag.percentile(99) / 1e6, lagMaxMs: mainLag.max / 1e6 };
    const clientCores = (clientCpu.user + clientCpu.system) / 1000 / (performance.now() - window0);
    measured = { connected, baseline, solveRun, report, serverUse, expected, clientCores, loop, batches, mainLoop };
  } finally {
    await fleet.close();
    await stopScenarioCtfg(ctx, server);
    removeDir(game.dir);
    removeDir(dbDir);
  }
  const { connected, baseline, solveRun, report, serverUse, expected, clientCores, loop, batches, mainLoop } = measured;
  const lat = report.latency;
  const rssMB = serverUse.maxRssBytes / MB;
  return {
    scenario: NAME,
    quick: ctx.quick,
    params: { ...p, solves, players: creds.length, solvers: solverCount, wsWorkers: fleet.size },
    metrics: [
      { label: 'delivery p50', value: lat.p50, unit: 'ms' },
      { label: 'delivery p99', value: lat.p99, unit: 'ms', target: atMost(lat.p99, 250, '≤ 250 ms', ctx.quick) },
      { label: 'delivery max', value: lat.max, unit: 'ms' },
      { label: 'delivered', value: expected > 0 ? (100 * report.receipts) / expected : null, unit: `% of ${expected.toLocaleString('en-US')}` },
      { label: 'missing / duplicated', value: report.check.missing, unit: `missing, ${report.check.duplicates} dup` },
      { label: 'server RSS peak', value: rssMB, unit: 'MB', target: atMost(rssMB, 600, '≤ 600 MB', ctx.quick) },
      { label: 'server CPU', value: serverUse.cpuCores, unit: 'cores' },
      { label: 'sockets open', value: connected.opened, unit: `(${connected.failed} failed, ${report.unexpectedCloses} dropped)` },
      { label: 'server loop lag p99', value: loop.lagP99Ms, unit: `ms (max ${loop.lagMaxMs.toFixed(0)} ms)` },
      { label: 'submit answer p99', value: solveRun.latencies.summary().p99, unit: 'ms' },
      { label: 'client lag p99', value: report.clientLagP99Ms, unit: `ms (max ${report.clientLagMaxMs.toFixed(0)} ms; submitter ${mainLoop.lagP99Ms.toFixed(0)}/${mainLoop.lagMaxMs.toFixed(0)} ms)` },
      { label: 'client CPU', value: clientCores, unit: 'cores' },
      { label: 'submits sent late p99', value: solveRun.lateness.p99, unit: 'ms' },
      { label: 'solve errors', value: solveRun.errors, unit: `of ${solveRun.sent}` },
    ],
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
      server: { ...serverUse, startMs },
      ...(profile ? { profile } : {}),
    },
    notes: [
      'Server loop lag: the event-loop delay ctfg reports in /metrics over the window (prom-client resets it at each scrape); submit answer: HTTP latency of the paced submits. Both are server-side stalls the sockets cannot cause.',
      'Delivery latency = time a socket worker received the event − time the submit was written (same clock, worker threads of one process); matched by displayname|challenge_id.',
      `Sockets are held by ${fleet.size} worker threads of the bench process; "client lag" is their worst event-loop delay: when it nears the latency figures, the client is the bottleneck.`,
    ],
    wallMs: performance.now() - began,
  };
}
