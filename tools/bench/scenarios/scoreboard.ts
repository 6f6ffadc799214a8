import { performance } from 'node:perf_hooks';
import { removeDir } from '../game.js';
import { buildRequest, connections } from '../http-client.js';
import { alternate, sideDetails, type Comparison } from '../compare.js';
import { startFloor } from '../launcher.js';
import { closedLoop, type Job } from '../load.js';
import { Api, type Session } from '../players.js';
import { atLeast, type ScenarioResult } from '../report.js';
import { ratio } from '../stats.js';
import { profileWindow, type ProfileSummary, startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';
import { prefilledGame } from './prefilled.js';

const NAME = 'scoreboard';

interface Params {
  readonly players: number;
  readonly eventsPerPlayer: number;
  readonly inFlight: number;
  /** floor and ctfg take turns this many times each */
  readonly rounds: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

const FULL: Params = { players: 2000, eventsPerPlayer: 5, inFlight: 64, rounds: 4, warmupMs: 2000, durationMs: 20_000 };
const QUICK: Params = { players: 200, eventsPerPlayer: 5, inFlight: 16, rounds: 2, warmupMs: 500, durationMs: 2000 };

/** GET /api/scoreboard on every connection (each as its own logged-in player), `ms` per round. */
function readSide(pid: number, host: string, port: number, cookies: readonly string[], inFlight: number, ms: number) {
  const conns = connections(host, port, inFlight);
  const requests = conns.map((_, i) => buildRequest('GET', '/api/scoreboard', `${host}:${port}`, { cookie: cookies[i % cookies.length] as string }));
  let n = 0;
  const take = (): Job => ({ bytes: requests[n++ % requests.length] as Buffer });
  return {
    pids: [pid],
    warm: (warmMs: number) => closedLoop(conns, take, warmMs),
    run: () => closedLoop(conns, take, ms),
    close: () => conns.forEach((c) => c.close()),
  };
}

export async function scoreboard(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  ctx.log(`  pre-filling ${p.players} players on the board`);
  const pre = await prefilledGame(ctx, { players: p.players, eventsPerPlayer: p.eventsPerPlayer, probes: 0, challenges: 40, hints: 2 });
  let profile: ProfileSummary | null;
  let m: { cmp: Comparison; bodyBytes: number; rows: number };
  const server = await startScenarioCtfg(ctx, pre.game.dir, pre.dbDir, [pre.game.dir, pre.dbDir]);
  try {
    const api = new Api(server.host, server.port, 16);
    const sessions = await api.loginAll(pre.board.slice(0, p.inFlight));
    const first = await api.get('/api/scoreboard', sessions[0] as Session);
    api.close();
    const rows = first.body ? ((JSON.parse(first.body) as { standings?: unknown[] }).standings?.length ?? 0) : 0;
    if (first.status !== 200 || first.bodyBytes === 0) throw new Error(`GET /api/scoreboard answered ${first.status}`);
    const floor = await startFloor({ kind: 'read', bodyBytes: first.bodyBytes }, ctx.serverCpus);
    try {
      const cookies = sessions.map((s) => s.cookie);
      const roundMs = p.durationMs / p.rounds;
      const f = readSide(floor.pid, floor.host, floor.port, cookies, p.inFlight, roundMs);
      const c = readSide(server.pid, server.host, server.port, cookies, p.inFlight, roundMs);
      try {
        await f.warm(p.warmupMs);
        await c.warm(p.warmupMs);
        ctx.log(`  ${p.inFlight} in flight, ${p.durationMs / 1000} s each in ${p.rounds} alternating rounds (${rows} rows, ${first.bodyBytes} bytes)`);
        const prof = await profileWindow(ctx, NAME, server);
        m = { cmp: await alternate(p.rounds, f, c), bodyBytes: first.bodyBytes, rows };
        profile = await prof.stop();
      } finally {
        f.close();
        c.close();
      }
    } finally {
      await floor.stop();
    }
  } finally {
    await stopScenarioCtfg(ctx, server);
    removeDir(pre.game.dir);
    removeDir(pre.dbDir);
  }

  const { cmp } = m;
  const lat = cmp.ctfg.run.latencies.summary();
  const floorLat = cmp.floor.run.latencies.summary();
  return {
    scenario: NAME,
    quick: ctx.quick,
    params: { ...p, rows: m.rows, bodyBytes: m.bodyBytes },
    metrics: [
      { label: 'throughput', value: cmp.ctfg.throughput, unit: 'req/s', floor: cmp.floor.throughput, ratio: cmp.ratio, target: atLeast(cmp.ratio, 0.8, '≥ 0.8× floor', ctx.quick) },
      { label: 'latency p50', value: lat.p50, unit: 'ms', floor: floorLat.p50 },
      { label: 'latency p99', value: lat.p99, unit: 'ms', floor: floorLat.p99 },
      { label: 'body', value: m.bodyBytes / 1024, unit: `KiB (${m.rows} rows)` },
      { label: 'errors', value: cmp.ctfg.run.errors + cmp.floor.run.errors, unit: '' },
      { label: 'server CPU / request', value: cmp.ctfg.cpuPerRequestMs, unit: 'ms', floor: cmp.floor.cpuPerRequestMs, ratio: ratio(cmp.ctfg.cpuPerRequestMs, cmp.floor.cpuPerRequestMs) },
      { label: 'server CPU', value: cmp.ctfg.serverCores, unit: 'cores', floor: cmp.floor.serverCores },
      { label: 'client CPU', value: cmp.ctfg.run.clientCpuMs / cmp.ctfg.run.elapsedMs, unit: 'cores', floor: cmp.floor.run.clientCpuMs / cmp.floor.run.elapsedMs },
    ],
    details: { roundRatios: cmp.roundRatios, ctfg: sideDetails(cmp.ctfg), floor: sideDetails(cmp.floor), events: pre.events, ...(profile ? { profile } : {}) },
    notes: [
      `Each of the ${p.inFlight} connections reads as its own logged-in player; the floor serves a constant JSON body of the same size with no session check.`,
      `Floor and ctfg run side by side and are loaded in ${p.rounds} alternating rounds of ${p.durationMs / p.rounds / 1000} s (F C, C F, …), after a warm-up each.`,
    ],
    wallMs: performance.now() - began,
  };
}
