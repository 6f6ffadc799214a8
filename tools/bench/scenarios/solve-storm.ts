import { performance } from 'node:perf_hooks';
import { compatGame, playerCredentials, removeDir, tempDir, benchName, type BenchGame } from '../game.js';
import { buildRequest, connections } from '../http-client.js';
import { ProcWatch, startFloor } from '../launcher.js';
import { closedLoop, type Job, type LoadResult } from '../load.js';
import { Api, expectCorrect, type Session } from '../players.js';
import { atLeast, type ScenarioResult } from '../report.js';
import type { ProfileEntry } from '../profile.js';
import { ratio, throughput } from '../stats.js';
import { startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';

const NAME = 'solve-storm';

interface Params {
  readonly players: number;
  /** extra players whose submits warm the server up before the timed part */
  readonly warmupPlayers: number;
  readonly inFlight: number;
}

const FULL: Params = { players: 1000, warmupPlayers: 64, inFlight: 64 };
const QUICK: Params = { players: 100, warmupPlayers: 16, inFlight: 16 };

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

async function storm(host: string, port: number, warmup: readonly Session[], timed: readonly Session[], game: BenchGame, inFlight: number): Promise<LoadResult> {
  const conns = connections(host, port, inFlight);
  try {
    const hostHeader = `${host}:${port}`;
    await closedLoop(conns, perPlayerSubmits(hostHeader, warmup, game), 120_000);
    return await closedLoop(conns, perPlayerSubmits(hostHeader, timed, game), 300_000);
  } finally {
    for (const c of conns) c.close();
  }
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
  const dirs = [game.dir];
  try {
    ctx.log(`  floor: ${submits} submits at ${p.inFlight} in flight`);
    const floorDb = tempDir('ctfg-bench-floordb-');
    dirs.push(floorDb);
    const floor = await startFloor({ kind: 'submit', dbDir: floorDb });
    let floorRun: LoadResult;
    try {
      floorRun = await storm(floor.host, floor.port, fakeSessions(p.warmupPlayers, p.players), fakeSessions(p.players, 0), game, p.inFlight);
    } finally {
      await floor.stop();
    }

    const dbDir = tempDir('ctfg-bench-db-');
    dirs.push(dbDir);
    const server = await startScenarioCtfg(ctx, NAME, game.dir, dbDir);
    let run: LoadResult;
    let cpu: ReturnType<ProcWatch['stop']>;
    let profile: ProfileEntry[] | null;
    try {
      const api = new Api(server.host, server.port, 32);
      ctx.log(`  ctfg: logging in ${creds.length} players and setting names`);
      const sessions = await api.loginAll(creds);
      await api.setNames(sessions, benchName);
      api.close();
      ctx.log(`  ctfg: ${submits} submits at ${p.inFlight} in flight`);
      const watch = new ProcWatch(server.pid);
      run = await storm(server.host, server.port, sessions.slice(p.players), sessions.slice(0, p.players), game, p.inFlight);
      cpu = watch.stop();
    } finally {
      profile = await stopScenarioCtfg(ctx, NAME, server);
    }

    const tput = throughput(run.ok, run.elapsedMs);
    const floorTput = throughput(floorRun.ok, floorRun.elapsedMs);
    const lat = run.latencies.summary();
    const floorLat = floorRun.latencies.summary();
    const r = ratio(tput, floorTput);
    return {
      scenario: NAME,
      quick: ctx.quick,
      params: { ...p, submits, challenges: game.order.length },
      metrics: [
        { label: 'throughput', value: tput, unit: 'req/s', floor: floorTput, ratio: r, target: atLeast(r, 0.6, '≥ 0.6× floor', ctx.quick) },
        { label: 'latency p50', value: lat.p50, unit: 'ms', floor: floorLat.p50 },
        { label: 'latency p95', value: lat.p95, unit: 'ms', floor: floorLat.p95 },
        { label: 'latency p99', value: lat.p99, unit: 'ms', floor: floorLat.p99 },
        { label: 'correct / errors', value: run.ok, unit: `ok, ${run.errors} errors` },
        { label: 'server CPU', value: cpu.cpuCores, unit: 'cores' },
        { label: 'client CPU', value: run.clientCpuMs / run.elapsedMs, unit: 'cores', floor: floorRun.clientCpuMs / floorRun.elapsedMs },
      ],
      details: {
        ctfg: { ok: run.ok, errors: run.errors, errorKinds: run.errorKinds, elapsedMs: run.elapsedMs, latency: lat, serverCpu: cpu, serverStartMs: server.startMs },
        floor: { ok: floorRun.ok, errors: floorRun.errors, errorKinds: floorRun.errorKinds, elapsedMs: floorRun.elapsedMs, latency: floorLat },
        ...(profile ? { profile } : {}),
      },
      notes: [
        'Players log in and set names before the timed part; each player submits its 15 testflags in prerequisite order, one at a time, with as many players at once as connections.',
        'The floor answers the same requests with one prepared INSERT (same pragmas and indexes) and no session lookup.',
      ],
      wallMs: performance.now() - began,
    };
  } finally {
    for (const d of dirs) removeDir(d);
  }
}
