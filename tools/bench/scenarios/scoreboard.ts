import { performance } from 'node:perf_hooks';
import { removeDir } from '../game.js';
import { buildRequest, connections } from '../http-client.js';
import { alternate, sideDetails, type Comparison } from '../compare.js';
import { startFloor } from '../launcher.js';
import { closedLoop, type Job } from '../load.js';
import { Api, type Session } from '../players.js';
import { atLeast, atMost, type ScenarioResult } from '../report.js';
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

/** What a browser sends: it takes brotli or gzip. */
const BROWSER_ENCODINGS = { 'accept-encoding': 'gzip, deflate, br' };

/** `path` on every connection (each as its own logged-in player), `ms` per round; `headers` on every request. */
function readSide(pid: number, host: string, port: number, cookies: readonly string[], o: { inFlight: number; ms: number; path?: string; headers?: Record<string, string> }) {
  const conns = connections(host, port, o.inFlight);
  const path = o.path ?? '/api/scoreboard';
  const requests = conns.map((_, i) => buildRequest('GET', path, `${host}:${port}`, { cookie: cookies[i % cookies.length] as string, headers: o.headers ?? {} }));
  let n = 0;
  // Only the length of an answer matters here: decoding 13–180 KiB per answer would load the client, not the server.
  const take = (): Job => ({ bytes: requests[n++ % requests.length] as Buffer, keepBodyUpTo: 0 });
  return {
    pids: [pid],
    warm: (warmMs: number) => closedLoop(conns, take, warmMs),
    run: () => closedLoop(conns, take, o.ms),
    close: () => conns.forEach((c) => c.close()),
  };
}

/** Bytes of the whole board on the wire in each encoding (the body only, as Content-Length counts it). */
async function wireBytes(api: Api, s: Session): Promise<{ br: number; gzip: number; identity: number }> {
  const get = async (coding: string): Promise<number> => {
    const r = await api.send(buildRequest('GET', '/api/scoreboard', api.hostHeader, { cookie: s.cookie, headers: { 'accept-encoding': coding } }), {});
    if (r.status !== 200) throw new Error(`GET /api/scoreboard (${coding}) answered ${r.status}`);
    return r.bodyBytes;
  };
  return { br: await get('br'), gzip: await get('gzip'), identity: await get('identity') };
}

interface Measured {
  readonly cmp: Comparison;
  /** ctfg's 2,000-row board (browser encodings) against its own 100-row page (no compression, as before paging) */
  readonly vs100: Comparison;
  readonly rows: number;
  /** right after the board changed (fast compression) and once it settled (dense) */
  readonly fresh: { br: number; gzip: number; identity: number };
  readonly settled: { br: number; gzip: number; identity: number };
}

/** Floor vs ctfg, then ctfg's 100-row page vs its whole board, each in alternating rounds. */
async function measure(ctx: BenchContext, p: Params, server: { pid: number; host: string; port: number }, sessions: readonly Session[]): Promise<Measured> {
  const api = new Api(server.host, server.port, 1);
  const first = await api.get('/api/scoreboard', sessions[0] as Session);
  if (first.status !== 200 || first.bodyBytes === 0) throw new Error(`GET /api/scoreboard answered ${first.status}`);
  const rows = first.body ? ((JSON.parse(first.body) as { standings?: unknown[] }).standings?.length ?? 0) : 0;
  const fresh = await wireBytes(api, sessions[0] as Session);
  const floor = await startFloor({ kind: 'read', bodyBytes: fresh.br }, ctx.serverCpus);
  const cookies = sessions.map((s) => s.cookie);
  const o = { inFlight: p.inFlight, ms: p.durationMs / p.rounds };
  const f = readSide(floor.pid, floor.host, floor.port, cookies, { ...o, headers: BROWSER_ENCODINGS });
  const c = readSide(server.pid, server.host, server.port, cookies, { ...o, headers: BROWSER_ENCODINGS });
  const h = readSide(server.pid, server.host, server.port, cookies, { ...o, path: '/api/scoreboard?limit=100' });
  try {
    await f.warm(p.warmupMs);
    await c.warm(p.warmupMs);
    await h.warm(p.warmupMs / 2);
    ctx.log(`  ${p.inFlight} in flight, ${p.durationMs / 1000} s each in ${p.rounds} alternating rounds (${rows} rows; ${fresh.identity} bytes, br ${fresh.br}, gzip ${fresh.gzip})`);
    const cmp = await alternate(p.rounds, f, c);
    ctx.log(`  then ctfg's 100-row page (identity) against its whole board`);
    const vs100 = await alternate(p.rounds, h, c);
    return { cmp, vs100, rows, fresh, settled: await wireBytes(api, sessions[0] as Session) };
  } finally {
    [f, c, h].forEach((side) => side.close());
    api.close();
    await floor.stop();
  }
}

export async function scoreboard(ctx: BenchContext): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  ctx.log(`  pre-filling ${p.players} players on the board`);
  const pre = await prefilledGame(ctx, { players: p.players, eventsPerPlayer: p.eventsPerPlayer, probes: 0, challenges: 40, hints: 2 });
  let profile: ProfileSummary | null;
  let m: Measured;
  const server = await startScenarioCtfg(ctx, pre.game.dir, pre.dbDir, [pre.game.dir, pre.dbDir]);
  try {
    const api = new Api(server.host, server.port, 16);
    const sessions = await api.loginAll(pre.board.slice(0, p.inFlight));
    api.close();
    const prof = await profileWindow(ctx, NAME, server);
    m = await measure(ctx, p, server, sessions);
    profile = await prof.stop();
  } finally {
    await stopScenarioCtfg(ctx, server);
    removeDir(pre.game.dir);
    removeDir(pre.dbDir);
  }
  return report(ctx, p, m, pre.events, profile, began);
}

function report(ctx: BenchContext, p: Params, m: Measured, events: number, profile: ProfileSummary | null, began: number): ScenarioResult {
  const { cmp, vs100 } = m;
  const lat = cmp.ctfg.run.latencies.summary();
  const floorLat = cmp.floor.run.latencies.summary();
  const kib = (b: number): number => b / 1024;
  return {
    scenario: NAME,
    quick: ctx.quick,
    params: { ...p, rows: m.rows, bodyBytes: m.fresh.identity, wire: { fresh: m.fresh, settled: m.settled } },
    metrics: [
      { label: 'throughput', value: cmp.ctfg.throughput, unit: 'req/s', floor: cmp.floor.throughput, ratio: cmp.ratio, target: atLeast(cmp.ratio, 0.8, '≥ 0.8× floor', ctx.quick) },
      {
        label: `× 100-row page`,
        value: vs100.ctfg.throughput,
        unit: 'req/s',
        floor: vs100.floor.throughput,
        ratio: vs100.ratio,
        target: atLeast(vs100.ratio, 1, '≥ 1× the 100-row board', ctx.quick),
      },
      { label: 'latency p50', value: lat.p50, unit: 'ms', floor: floorLat.p50 },
      { label: 'latency p99', value: lat.p99, unit: 'ms', floor: floorLat.p99 },
      { label: 'body', value: kib(m.fresh.identity), unit: `KiB (${m.rows} rows)` },
      { label: 'on the wire, br settled', value: kib(m.settled.br), unit: 'KiB', target: atMost(m.settled.br, 25 * 1024, '≤ 25 KiB', ctx.quick) },
      { label: 'on the wire, br / gzip changing', value: kib(m.fresh.br), unit: `KiB / ${kib(m.fresh.gzip).toFixed(1)} KiB` },
      { label: 'errors', value: cmp.ctfg.run.errors + cmp.floor.run.errors + vs100.floor.run.errors, unit: '' },
      { label: 'server CPU / request', value: cmp.ctfg.cpuPerRequestMs, unit: 'ms', floor: cmp.floor.cpuPerRequestMs, ratio: ratio(cmp.ctfg.cpuPerRequestMs, cmp.floor.cpuPerRequestMs) },
      { label: 'CPU / request, 100-row page', value: vs100.floor.cpuPerRequestMs, unit: 'ms' },
      { label: 'server CPU', value: cmp.ctfg.serverCores, unit: 'cores', floor: cmp.floor.serverCores },
      { label: 'client CPU', value: cmp.ctfg.run.clientCpuMs / cmp.ctfg.run.elapsedMs, unit: 'cores', floor: cmp.floor.run.clientCpuMs / cmp.floor.run.elapsedMs },
    ],
    details: {
      roundRatios: cmp.roundRatios,
      ctfg: sideDetails(cmp.ctfg),
      floor: sideDetails(cmp.floor),
      vs100: { roundRatios: vs100.roundRatios, page100: sideDetails(vs100.floor), whole: sideDetails(vs100.ctfg) },
      events,
      ...(profile ? { profile } : {}),
    },
    notes: [
      `Requests carry a browser's Accept-Encoding (gzip, deflate, br); each of the ${p.inFlight} connections reads as its own logged-in player. The floor serves a constant JSON body of the brotli size with no session check.`,
      `"× 100-row page": ctfg's whole board against its own ?limit=100 page without compression (the bytes a 100-row board was before paging), both on the same server in alternating rounds.`,
      `"changing": the first brotli/gzip answer after a change (fast settings); "settled": after the board stayed unchanged for 2 s and was read often (brotli 11, gzip 9).`,
      `Floor and ctfg run side by side and are loaded in ${p.rounds} alternating rounds of ${p.durationMs / p.rounds / 1000} s (F C, C F, …), after a warm-up each.`,
    ],
    wallMs: performance.now() - began,
  };
}
