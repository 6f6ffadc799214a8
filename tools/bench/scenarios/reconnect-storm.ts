import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Fleet, type DropResult, type FleetReport } from '../fleet.js';
import { compatGame, playerCredentials, removeDir, tempDir } from '../game.js';
import type { PacedResult } from '../load.js';
import { Api } from '../players.js';
import { atMost, type ScenarioResult } from '../report.js';
import { profileWindow, type ProfileSummary, settle, startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';
import { pacedSolves } from './solves.js';

const NAME = 'reconnect-storm';

interface Params {
  readonly sockets: number;
  readonly socketsPerPlayer: number;
  /** solves keep arriving at this rate before, during and after the storm */
  readonly solvesPerSecond: number;
  /** solves run this long before the drop … */
  readonly beforeMs: number;
  /** … and this long after every socket is back */
  readonly afterMs: number;
  /** reconnects give up after this */
  readonly deadlineMs: number;
}

const FULL: Params = { sockets: 10_000, socketsPerPlayer: 5, solvesPerSecond: 50, beforeMs: 3000, afterMs: 3000, deadlineMs: 30_000 };
const QUICK: Params = { sockets: 200, socketsPerPlayer: 5, solvesPerSecond: 20, beforeMs: 1000, afterMs: 1000, deadlineMs: 15_000 };

export async function reconnectStorm(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  const maxSolveMs = p.beforeMs + p.deadlineMs + p.afterMs + 5000;
  const maxSolves = Math.ceil((p.solvesPerSecond * maxSolveMs) / 1000);
  const game0 = compatGame(ctx.fixtureDir, []);
  const solverCount = Math.ceil(maxSolves / game0.order.length);
  removeDir(game0.dir);
  const socketPlayers = Math.ceil(p.sockets / p.socketsPerPlayer);
  const creds = playerCredentials(Math.max(socketPlayers, solverCount));
  const game = compatGame(ctx.fixtureDir, creds);
  const dbDir = tempDir('ctfg-bench-db-');
  const fleet = Fleet.start(ctx.wsWorkers);
  const server = await startScenarioCtfg(ctx, game.dir, dbDir, [game.dir, dbDir]).catch(async (err: unknown) => {
    await fleet.close();
    throw err;
  });
  let profile: ProfileSummary | null;
  let m: { opened: number; baseline: number; baselineSpread: number; drop: DropResult; solveRun: PacedResult; report: FleetReport; expectLast: number };
  try {
    const api = new Api(server.host, server.port, 32);
    ctx.log(`  logging in ${creds.length} players, connecting ${p.sockets} sockets`);
    const sessions = await api.loginAll(creds);
    api.close();
    const urls = Array.from({ length: p.sockets }, (_, i) => sessions[Math.floor(i / p.socketsPerPlayer)]?.wsUrl ?? '');
    const connected = await fleet.connect(urls, 100);
    if (connected.failed > 0) throw new Error(`${connected.failed} sockets could not connect: ${connected.errors.join('; ')}`);
    fleet.mark();
    const prof = await profileWindow(ctx, NAME, server);

    let stop = false;
    const solving = pacedSolves(server.host, [server.port], sessions.slice(0, solverCount), game, fleet, {
      rate: p.solvesPerSecond,
      total: maxSolves,
      maxMs: maxSolveMs,
      stop: () => stop,
    });
    let drop: DropResult;
    try {
      await sleep(p.beforeMs);
      ctx.log(`  dropping all ${p.sockets} sockets at once; reconnecting like the app (full-jitter backoff) with &since=<last id seen>`);
      drop = await fleet.drop(p.deadlineMs);
      await sleep(p.afterMs);
    } finally {
      stop = true;
    }
    const solveRun = await solving;
    profile = await prof.stop();
    // Every socket must now have every event after its first snapshot exactly once.
    const expectLast = connected.baselineMax + solveRun.ok;
    let report = await fleet.report(expectLast);
    await settle(async () => (report = await fleet.report(expectLast)).receipts, Infinity, 1500, 10_000);
    m = { opened: connected.opened, baseline: connected.baselineMax, baselineSpread: connected.baselineMax - connected.baselineMin, drop, solveRun, report, expectLast };
  } finally {
    await fleet.close();
    await stopScenarioCtfg(ctx, server);
    removeDir(game.dir);
    removeDir(dbDir);
  }
  const { drop, report, solveRun } = m;
  // A snapshot holds the whole board as of its last_id: what it replaced is not lost (the target allows snapshots for those who missed too much).
  const lost = report.check.missing - report.check.coveredBySnapshot;
  const dup = report.check.duplicates + report.check.unexpected;
  const allBackS = drop.allBackMs / 1000;
  return {
    scenario: NAME,
    quick: ctx.quick,
    params: { ...p, players: creds.length, solvers: solverCount, wsWorkers: fleet.size },
    metrics: [
      { label: 'all back after', value: allBackS, unit: 's', target: atMost(allBackS, 10, '≤ 10 s', ctx.quick) },
      { label: 'back p50 / p99', value: drop.backMs.p50, unit: `ms / ${drop.backMs.p99.toFixed(0)} ms` },
      { label: 'reconnect failures', value: drop.failedAttempts, unit: `attempts (${drop.gaveUp} gave up)` },
      { label: 'lost events', value: lost, unit: 'socket×event', target: atMost(lost, 0, '0', ctx.quick) },
      { label: 'duplicated events', value: dup, unit: 'socket×event', target: atMost(dup, 0, '0', ctx.quick) },
      { label: 'resumes → snapshot', value: drop.snapshotFallbacks, unit: `of ${m.opened}` },
      { label: 'replaced by a snapshot', value: report.check.coveredBySnapshot, unit: 'socket×event (missed while away, then covered by the snapshot that answered the resume)' },
      {
        label: 'first-message bytes, total',
        value: (drop.resumeBytes + drop.snapshotBytes) / 1024,
        unit: `KiB (resumes ${(drop.resumeBytes / 1024).toFixed(0)} KiB, snapshots ${(drop.snapshotBytes / 1024).toFixed(0)} KiB)`,
      },
      { label: 'events during run', value: solveRun.ok, unit: `solves (${solveRun.errors} errors)` },
    ],
    details: {
      ...m,
      solveRun: { ok: solveRun.ok, errors: solveRun.errors, errorKinds: solveRun.errorKinds, sent: solveRun.sent, sentLateMs: solveRun.lateness },
      ...(profile ? { profile } : {}),
    },
    notes: [
      'All sockets are terminated client-side at once and each reconnects the way the app does (web/src/live/backoff.ts: every try after a full-jitter backoff, the first within 0.1–0.5 s) with &since=<last id it saw>; "all back" runs from the first termination to the last socket receiving its first message on the new connection.',
      'Lost/duplicated: after the solves stop, every socket must hold every event id after its first snapshot exactly once across both connections (ids are gapless; the expected last id is the first snapshot\'s last_id + the correct submits). A resume answered with a snapshot instead of the missed events is counted under "resumes → snapshot"; the events it stands for (ids up to its last_id) are "replaced by a snapshot", and "lost" counts only events a socket got in no form.',
    ],
    wallMs: performance.now() - began,
  };
}
