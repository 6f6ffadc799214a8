import { performance } from 'node:perf_hooks';
import { compatGame, playerCredentials, removeDir, tempDir, benchName, type BenchGame } from '../game.js';
import { buildRequest, connections } from '../http-client.js';
import { alternate, sideDetails, type Comparison } from '../compare.js';
import { startFloor } from '../launcher.js';
import { closedLoop, type Job } from '../load.js';
import { Api, expectCorrect, type Session } from '../players.js';
import { atLeast, type ScenarioResult } from '../report.js';
import { ratio } from '../stats.js';
import { profileWindow, type ProfileSummary, startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';

const NAME = 'solve-storm';

interface Params {
  readonly players: number;
  /** floor and ctfg take turns this many times each */
  readonly rounds: number;
  /** extra players whose submits warm the server up before the timed part */
  readonly warmupPlayers: number;
  readonly inFlight: number;
}

const FULL: Params = { players: 1000, rounds: 4, warmupPlayers: 1000, inFlight: 64 };
const QUICK: Params = { players: 100, rounds: 2, warmupPlayers: 16, inFlight: 16 };

/**
 * Every player's submits in prerequisite order, one at a time per player (a
 * submit must not overtake the one unlocking it), as many players at once as
 * there are connections.
 */
function perPlayerSubmits(hostHeader: string, sessions: readonly Session[], game: BenchGame): () => Job | null | Promise<Job | null> {
  const byId = new Map(game.challenges.map((c) => [c.id, c]));
  const requests = sessions.map((s) =>
    game.order.map((id) => {
      const c = byId.get(id);
      if (!c) throw new Error(`unknown challenge ${id}`);
      return buildRequest('POST', '/api/submit', hostHeader, { cookie: s.cookie, json: { id: c.id, flag: c.testflag } });
    }),
  );
  const ready = requests.map((list) => ({ list, next: 0 }));
  let head = 0;
  let active = 0;
  let waiters: Array<() => void> = [];
  const take = (): Job | null | Promise<Job | null> => {
    if (head < ready.length) {
      const p = ready[head++] as (typeof ready)[number];
      active++;
      return {
        bytes: p.list[p.next] as Buffer,
        check: expectCorrect,
        after: () => {
          active--;
          if (++p.next < p.list.length) ready.push(p);
          const wake = waiters;
          waiters = [];
          for (const w of wake) w();
        },
      };
    }
    if (active === 0) return null;
    return new Promise<Job | null>((resolve) => waiters.push(() => resolve(take())));
  };
  return take;
}

/** Players split into `rounds` equal groups, one group per round. */
function groups<T>(items: readonly T[], rounds: number): T[][] {
  const size = Math.ceil(items.length / rounds);
  return Array.from({ length: rounds }, (_, r) => items.slice(r * size, (r + 1) * size));
}

/** One server's side: warm-up submits, then one player group per round, on persistent connections. */
function side(pid: number, host: string, port: number, warmup: readonly Session[], timed: readonly Session[][], game: BenchGame, inFlight: number) {
  const conns = connections(host, port, inFlight);
  const hostHeader = `${host}:${port}`;
  return {
    pid,
    warm: () => closedLoop(conns, perPlayerSubmits(hostHeader, warmup, game), 120_000),
    run: (round: number) => closedLoop(conns, perPlayerSubmits(hostHeader, timed[round] ?? [], game), 300_000),
    close: () => conns.forEach((c) => c.close()),
  };
}

/** The floor sees the same requests; its sessions are fake cookies of the same length. */
function fakeSessions(n: number, offset: number): Session[] {
  return Array.from({ length: n }, (_, i) => ({
    username: `player${offset + i + 1}`,
    cookie: `ctfg_session=${String(offset + i).padStart(43, 'f')}`,
    wsUrl: '',
    displayname: benchName(offset + i),
  }));
}

export async function solveStorm(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  const creds = playerCredentials(p.players + p.warmupPlayers);
  const game = compatGame(ctx.fixtureDir, creds);
  const submits = p.players * game.order.length;
  const floorDb = tempDir('ctfg-bench-floordb-');
  const dbDir = tempDir('ctfg-bench-db-');
  let profile: ProfileSummary | null;
  let cmp: Comparison;
  const floor = await startFloor({ kind: 'submit', dbDir: floorDb }, ctx.serverCpus).catch((err: unknown) => {
    for (const d of [game.dir, floorDb, dbDir]) removeDir(d);
    throw err;
  });
  try {
    const server = await startScenarioCtfg(ctx, game.dir, dbDir);
    try {
      const api = new Api(server.host, server.port, 32);
      ctx.log(`  ctfg: logging in ${creds.length} players and setting names`);
      const sessions = await api.loginAll(creds);
      await api.setNames(sessions, benchName);
      api.close();
      const f = side(floor.pid, floor.host, floor.port, fakeSessions(p.warmupPlayers, p.players), groups(fakeSessions(p.players, 0), p.rounds), game, p.inFlight);
      const c = side(server.pid, server.host, server.port, sessions.slice(p.players), groups(sessions.slice(0, p.players), p.rounds), game, p.inFlight);
      try {
        await f.warm();
        await c.warm();
        ctx.log(`  ${submits} submits at ${p.inFlight} in flight to each, in ${p.rounds} alternating rounds`);
        const prof = await profileWindow(ctx, NAME, server);
        cmp = await alternate(p.rounds, f, c);
        profile = await prof.stop();
      } finally {
        f.close();
        c.close();
      }
    } finally {
      await stopScenarioCtfg(ctx, server);
    }
  } finally {
    await floor.stop();
    for (const d of [game.dir, floorDb, dbDir]) removeDir(d);
  }

  const lat = cmp.ctfg.run.latencies.summary();
  const floorLat = cmp.floor.run.latencies.summary();
  const run = cmp.ctfg.run;
  return {
    scenario: NAME,
    quick: ctx.quick,
    params: { ...p, submits, challenges: game.order.length },
    metrics: [
      { label: 'throughput', value: cmp.ctfg.throughput, unit: 'req/s', floor: cmp.floor.throughput, ratio: cmp.ratio, target: atLeast(cmp.ratio, 0.6, '≥ 0.6× floor', ctx.quick) },
      { label: 'latency p50', value: lat.p50, unit: 'ms', floor: floorLat.p50 },
      { label: 'latency p95', value: lat.p95, unit: 'ms', floor: floorLat.p95 },
      { label: 'latency p99', value: lat.p99, unit: 'ms', floor: floorLat.p99 },
      { label: 'correct / errors', value: run.ok, unit: `ok, ${run.errors + cmp.floor.run.errors} errors` },
      { label: 'server CPU / request', value: cmp.ctfg.cpuPerRequestMs, unit: 'ms', floor: cmp.floor.cpuPerRequestMs, ratio: ratio(cmp.ctfg.cpuPerRequestMs, cmp.floor.cpuPerRequestMs) },
      { label: 'server CPU', value: cmp.ctfg.serverCores, unit: 'cores', floor: cmp.floor.serverCores },
      { label: 'client CPU', value: run.clientCpuMs / run.elapsedMs, unit: 'cores', floor: cmp.floor.run.clientCpuMs / cmp.floor.run.elapsedMs },
    ],
    details: {
      roundRatios: cmp.roundRatios,
      ctfg: sideDetails(cmp.ctfg),
      floor: sideDetails(cmp.floor),
      ...(profile ? { profile } : {}),
    },
    notes: [
      'Players log in and set names before the timed part; each player submits its 15 testflags in prerequisite order, one at a time, with as many players at once as connections.',
      `Floor and ctfg run side by side and are loaded in ${p.rounds} alternating rounds (F C, C F, …); the floor answers the same requests with one prepared INSERT (same pragmas and indexes) and no session lookup.`,
    ],
    wallMs: performance.now() - began,
  };
}
