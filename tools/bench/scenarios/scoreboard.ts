import { performance } from 'node:perf_hooks';
import { removeDir } from '../game.js';
import { buildRequest, connections } from '../http-client.js';
import { ProcWatch, startFloor } from '../launcher.js';
import { closedLoop, type Job, type LoadResult } from '../load.js';
import { Api, type Session } from '../players.js';
import type { ProfileEntry } from '../profile.js';
import { atLeast, type ScenarioResult } from '../report.js';
import { ratio, throughput } from '../stats.js';
import { startScenarioCtfg, stopScenarioCtfg, type BenchContext } from './common.js';
import { prefilledGame } from './prefilled.js';

const NAME = 'scoreboard';

interface Params {
  readonly players: number;
  readonly eventsPerPlayer: number;
  readonly inFlight: number;
  readonly warmupMs: number;
  readonly durationMs: number;
}

const FULL: Params = { players: 2000, eventsPerPlayer: 5, inFlight: 64, warmupMs: 2000, durationMs: 20_000 };
const QUICK: Params = { players: 200, eventsPerPlayer: 5, inFlight: 16, warmupMs: 500, durationMs: 2000 };

/** GET /api/scoreboard on every connection (each as its own logged-in player) for `ms`. */
async function readLoad(host: string, port: number, cookies: readonly string[], inFlight: number, warmupMs: number, ms: number): Promise<LoadResult> {
  const conns = connections(host, port, inFlight);
  const requests = conns.map((_, i) => buildRequest('GET', '/api/scoreboard', `${host}:${port}`, { cookie: cookies[i % cookies.length] as string }));
  let n = 0;
  const take = (): Job => ({ bytes: requests[n++ % requests.length] as Buffer });
  try {
    await closedLoop(conns, take, warmupMs);
    return await closedLoop(conns, take, ms);
  } finally {
    for (const c of conns) c.close();
  }
}

export async function scoreboard(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  ctx.log(`  pre-filling ${p.players} players on the board`);
  const pre = await prefilledGame(ctx, { players: p.players, eventsPerPlayer: p.eventsPerPlayer, probes: 0, challenges: 40, hints: 2 });
  let profile: ProfileEntry[] | null;
  let ctfg: { run: LoadResult; bodyBytes: number; rows: number; cpu: ReturnType<ProcWatch['stop']>; cookies: string[] };
  const server = await startScenarioCtfg(ctx, NAME, pre.game.dir, pre.dbDir);
  try {
    const api = new Api(server.host, server.port, 16);
    const sessions = await api.loginAll(pre.board.slice(0, p.inFlight));
    const first = await api.get('/api/scoreboard', sessions[0] as Session);
    api.close();
    const rows = first.body ? (JSON.parse(first.body) as { standings?: unknown[] }).standings?.length ?? 0 : 0;
    if (first.status !== 200 || first.bodyBytes === 0) throw new Error(`GET /api/scoreboard answered ${first.status}`);
    ctx.log(`  ctfg: ${p.inFlight} in flight for ${p.durationMs / 1000} s (${rows} rows, ${first.bodyBytes} bytes)`);
    const watch = new ProcWatch(server.pid);
    const cookies = sessions.map((s) => s.cookie);
    const run = await readLoad(server.host, server.port, cookies, p.inFlight, p.warmupMs, p.durationMs);
    ctfg = { run, bodyBytes: first.bodyBytes, rows, cpu: watch.stop(), cookies };
  } finally {
    profile = await stopScenarioCtfg(ctx, NAME, server);
    removeDir(pre.game.dir);
    removeDir(pre.dbDir);
  }

  ctx.log(`  floor: constant ${ctfg.bodyBytes}-byte JSON, same load`);
  const floor = await startFloor({ kind: 'read', bodyBytes: ctfg.bodyBytes });
  let floorRun: LoadResult;
  try {
    floorRun = await readLoad(floor.host, floor.port, ctfg.cookies, p.inFlight, p.warmupMs, p.durationMs);
  } finally {
    await floor.stop();
  }

  const tput = throughput(ctfg.run.ok, ctfg.run.elapsedMs);
  const floorTput = throughput(floorRun.ok, floorRun.elapsedMs);
  const r = ratio(tput, floorTput);
  const lat = ctfg.run.latencies.summary();
  const floorLat = floorRun.latencies.summary();
  return {
    scenario: NAME,
    quick: ctx.quick,
    params: { ...p, rows: ctfg.rows, bodyBytes: ctfg.bodyBytes },
    metrics: [
      { label: 'throughput', value: tput, unit: 'req/s', floor: floorTput, ratio: r, target: atLeast(r, 0.8, '≥ 0.8× floor', ctx.quick) },
      { label: 'latency p50', value: lat.p50, unit: 'ms', floor: floorLat.p50 },
      { label: 'latency p99', value: lat.p99, unit: 'ms', floor: floorLat.p99 },
      { label: 'body', value: ctfg.bodyBytes / 1024, unit: `KiB (${ctfg.rows} rows)` },
      { label: 'errors', value: ctfg.run.errors + floorRun.errors, unit: '' },
      { label: 'server CPU', value: ctfg.cpu.cpuCores, unit: 'cores' },
      { label: 'client CPU', value: ctfg.run.clientCpuMs / ctfg.run.elapsedMs, unit: 'cores', floor: floorRun.clientCpuMs / floorRun.elapsedMs },
    ],
    details: {
      ctfg: { ok: ctfg.run.ok, errors: ctfg.run.errors, errorKinds: ctfg.run.errorKinds, elapsedMs: ctfg.run.elapsedMs, latency: lat, serverCpu: ctfg.cpu },
      floor: { ok: floorRun.ok, errors: floorRun.errors, errorKinds: floorRun.errorKinds, elapsedMs: floorRun.elapsedMs, latency: floorLat },
      events: pre.events,
      ...(profile ? { profile } : {}),
    },
    notes: [
      `Each of the ${p.inFlight} connections reads as its own logged-in player; the floor serves a constant JSON body of the same size with no session check.`,
    ],
    wallMs: performance.now() - began,
  };
}
