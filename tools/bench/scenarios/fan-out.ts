import { performance } from 'node:perf_hooks';
import { Fleet, type FleetReport } from '../fleet.js';
import { compatGame, playerCredentials, removeDir, tempDir } from '../game.js';
import { ProcWatch } from '../launcher.js';
import type { PacedResult } from '../load.js';
import { Api } from '../players.js';
import type { ProfileEntry } from '../profile.js';
import { atMost, type ScenarioResult } from '../report.js';
import { MB, settle, startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';
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
  const server = await startScenarioCtfg(ctx, NAME, game.dir, dbDir);
  const startMs = server.startMs;
  const fleet = Fleet.start(ctx.wsWorkers);
  let profile: ProfileEntry[] | null;
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
    const watch = new ProcWatch(server.pid, 200);
    const clientCpu0 = process.cpuUsage();
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
    const clientCpu = process.cpuUsage(clientCpu0);
    const clientCores = (clientCpu.user + clientCpu.system) / 1000 / (performance.now() - window0);
    measured = { connected, baseline, solveRun, report, serverUse, expected, clientCores };
  } finally {
    await fleet.close();
    profile = await stopScenarioCtfg(ctx, NAME, server);
    removeDir(game.dir);
    removeDir(dbDir);
  }
  const { connected, baseline, solveRun, report, serverUse, expected, clientCores } = measured;
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
      { label: 'client lag p99', value: report.clientLagP99Ms, unit: `ms (max ${report.clientLagMaxMs.toFixed(0)} ms)` },
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
        submitLatency: solveRun.latencies.summary(),
      },
      delivery: report,
      server: { ...serverUse, startMs },
      ...(profile ? { profile } : {}),
    },
    notes: [
      'Delivery latency = time a socket worker received the event − time the submit was written (same clock, worker threads of one process); matched by displayname|challenge_id.',
      `Sockets are held by ${fleet.size} worker threads of the bench process; "client lag" is their worst event-loop delay: when it nears the latency figures, the client is the bottleneck.`,
    ],
    wallMs: performance.now() - began,
  };
}
