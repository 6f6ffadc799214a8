import { performance } from 'node:perf_hooks';
import { compatGame, inTeams, playerCredentials, removeDir, tempDir, benchName, type BenchGame } from '../game.js';
import { buildRequest, connections, spreadConnections, type RawConnection, type RawResponse } from '../http-client.js';
import { topologyLabel, topologyVariant } from '../cluster.js';
import { addCpuUse, cpuBetween, cpuCores, NO_CPU_USE, type CpuUse } from '../cpu.js';
import { addPgActivity, type PgActivity } from '../pg-activity.js';
import { alternate, sideDetails, type Comparison } from '../compare.js';
import { startFloor } from '../launcher.js';
import { closedLoop, type Job, type LoadResult } from '../load.js';
import { Api, expectCorrect, submitResult, type Session } from '../players.js';
import { atLeast, type Metric, type ScenarioResult } from '../report.js';
import { ratio } from '../stats.js';
import { profileWindow, type ProfileSummary, startScenarioCluster, stopScenarioCluster, type BenchContext } from './common.js';

const NAME = 'solve-storm';
/** The metric --compare-instances/--compare-backends divide between PostgreSQL and SQLite (target ≤ 2×). */
export const SERVER_CPU_PER_SOLVE = 'server CPU / solve, all server processes';

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

/** A submit refused as locked: its prerequisite's solve has not reached the instance that answered yet. */
function isLockedAnswer(res: RawResponse): boolean {
  return res.status === 403 && res.body !== null && res.body.includes('"locked"');
}

/** What a storm counts as done: a new solve, or in team mode a teammate's (SPEC §9). */
interface Answers {
  readonly teams: boolean;
  /** new solves and teammates' `already_solved` answers (team mode only) */
  correct: number;
  alreadySolved: number;
}

function judgeAnswer(res: RawResponse, answers: Answers): string | null {
  if (answers.teams && res.status === 200 && submitResult(res) === 'already_solved') {
    answers.alreadySolved++;
    return null;
  }
  const wrong = expectCorrect(res);
  if (wrong === null) answers.correct++;
  return wrong;
}

/** A locked answer is retried (after the player's turn comes round again) at most this often. */
const MAX_LOCKED_RETRIES = 20;

/**
 * Every player's submits in prerequisite order, one at a time per player (a
 * submit must not overtake the one unlocking it), as many players at once as
 * there are connections. With several instances, the next submit may reach
 * an instance that has not applied the previous solve yet (it travels
 * through Redis): that answer is "locked" and the submit is queued again
 * (counted in `stale.retried`).
 */
function perPlayerSubmits(
  hostHeader: string,
  sessions: readonly Session[],
  game: BenchGame,
  stale: { retried: number },
  answers: Answers,
): () => Job | null | Promise<Job | null> {
  const byId = new Map(game.challenges.map((c) => [c.id, c]));
  const requests = sessions.map((s) =>
    game.order.map((id) => {
      const c = byId.get(id);
      if (!c) throw new Error(`unknown challenge ${id}`);
      return buildRequest('POST', '/api/submit', hostHeader, { cookie: s.cookie, json: { id: c.id, flag: c.testflag } });
    }),
  );
  const ready = requests.map((list) => ({ list, next: 0, retries: 0 }));
  let head = 0;
  let active = 0;
  let waiters: Array<() => void> = [];
  const take = (): Job | null | Promise<Job | null> => {
    if (head < ready.length) {
      const p = ready[head++] as (typeof ready)[number];
      active++;
      let locked = false;
      return {
        bytes: p.list[p.next] as Buffer,
        check: (res) => {
          locked = isLockedAnswer(res);
          return judgeAnswer(res, answers);
        },
        after: () => {
          active--;
          if (locked && p.retries < MAX_LOCKED_RETRIES) {
            p.retries++;
            stale.retried++;
            ready.push(p);
          } else if (++p.next < p.list.length) ready.push(p);
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

/**
 * One server's side: warm-up submits, then one player group per round, on
 * persistent connections; with several instances (`ports`) the connections
 * are spread over them round robin, like a load balancer would.
 */
function side(pids: readonly number[], host: string, ports: readonly number[], warmup: readonly Session[], timed: readonly Session[][], game: BenchGame, inFlight: number, teams = false) {
  const conns: RawConnection[] = ports.length === 1 ? connections(host, ports[0] as number, inFlight) : spreadConnections(host, ports, inFlight);
  const hostHeader = `${host}:${ports[0] as number}`;
  const stale = { retried: 0 };
  const answers: Answers = { teams, correct: 0, alreadySolved: 0 };
  return {
    pids,
    stale,
    answers,
    warm: () => closedLoop(conns, perPlayerSubmits(hostHeader, warmup, game, { retried: 0 }, { teams, correct: 0, alreadySolved: 0 }), 120_000),
    run: (round: number) => closedLoop(conns, perPlayerSubmits(hostHeader, timed[round] ?? [], game, stale, answers), 300_000),
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

/** `teamSize`: the players play in teams of this size (SPEC §9), so a teammate's submit may answer already_solved. */
export async function solveStorm(ctx: BenchContext, options: { readonly teamSize?: number } = {}): Promise<ScenarioResult> {
  const began = performance.now();
  const p = ctx.quick ? QUICK : FULL;
  const topology = ctx.topology;
  const teamSize = options.teamSize ?? 0;
  const players = playerCredentials(p.players + p.warmupPlayers);
  const creds = teamSize > 0 ? inTeams(players, teamSize) : players;
  const game = compatGame(ctx.fixtureDir, creds);
  const submits = p.players * game.order.length;
  const floorDb = tempDir('ctfg-bench-floordb-');
  const dbDir = tempDir('ctfg-bench-db-');
  let profile: ProfileSummary | null;
  let cmp: Comparison;
  let stale: { retried: number };
  let answers: Answers;
  /** CPU of everything while ctfg (not the floor) was loaded */
  let cpu: CpuUse = NO_CPU_USE;
  /** what PostgreSQL's backends did meanwhile (postgres only) */
  const pg: { activity: PgActivity | null } = { activity: null };
  const floor = await startFloor({ kind: 'submit', dbDir: floorDb }, ctx.serverCpus).catch((err: unknown) => {
    for (const d of [game.dir, floorDb, dbDir]) removeDir(d);
    throw err;
  });
  try {
    const cluster = await startScenarioCluster(ctx, game.dir, dbDir);
    try {
      const [first] = cluster.instances;
      if (!first) throw new Error('no ctfg instance');
      const api = new Api(cluster.host, first.port, 32, cluster.ports);
      ctx.log(`  ctfg (${topologyLabel(topology)}): logging in ${creds.length} players and setting names`);
      const sessions = await api.loginAll(creds);
      await api.setNames(sessions, benchName);
      api.close();
      const f = side([floor.pid], floor.host, [floor.port], fakeSessions(p.warmupPlayers, p.players), groups(fakeSessions(p.players, 0), p.rounds), game, p.inFlight);
      const c = side(cluster.pids, cluster.host, cluster.ports, sessions.slice(p.players), groups(sessions.slice(0, p.players), p.rounds), game, p.inFlight, teamSize > 0);
      stale = c.stale;
      answers = c.answers;
      // Everything's CPU (instances, PostgreSQL, Redis, bench, machine) over ctfg's rounds only.
      const metered = {
        pids: c.pids,
        run: async (round: number): Promise<LoadResult> => {
          const sampler = await cluster.samplePostgres();
          const before = cluster.cpu();
          const result = await c.run(round);
          cpu = addCpuUse(cpu, cpuBetween(before, cluster.cpu()));
          if (sampler) pg.activity = addPgActivity(pg.activity, await sampler.stop());
          return result;
        },
      };
      try {
        await f.warm();
        await c.warm();
        const spread = cluster.ports.length > 1 ? `, connections spread over ${cluster.ports.length} instances` : '';
        ctx.log(`  ${submits} submits at ${p.inFlight} in flight to each${spread}, in ${p.rounds} alternating rounds`);
        const prof = await profileWindow(ctx, NAME, first);
        cmp = await alternate(p.rounds, f, metered);
        profile = await prof.stop();
      } finally {
        f.close();
        c.close();
      }
    } finally {
      await stopScenarioCluster(ctx, cluster);
    }
  } finally {
    await floor.stop();
    for (const d of [game.dir, floorDb, dbDir]) removeDir(d);
  }

  const lat = cmp.ctfg.run.latencies.summary();
  const floorLat = cmp.floor.run.latencies.summary();
  const run = cmp.ctfg.run;
  const cores = cpuCores(cpu);
  const activity = pg.activity;
  const onPostgres = topology.backend === 'postgres';
  const realErrors = run.errors - stale.retried;
  const metrics: Metric[] = [
    { label: 'throughput', value: cmp.ctfg.throughput, unit: 'req/s', floor: cmp.floor.throughput, ratio: cmp.ratio, target: atLeast(cmp.ratio, 0.6, '≥ 0.6× floor', ctx.quick) },
    { label: 'latency p50', value: lat.p50, unit: 'ms', floor: floorLat.p50 },
    { label: 'latency p95', value: lat.p95, unit: 'ms', floor: floorLat.p95 },
    { label: 'latency p99', value: lat.p99, unit: 'ms', floor: floorLat.p99 },
    { label: 'correct / errors', value: run.ok, unit: `ok, ${realErrors + cmp.floor.run.errors} errors` },
    { label: 'server CPU / request', value: cmp.ctfg.cpuPerRequestMs, unit: 'ms', floor: cmp.floor.cpuPerRequestMs, ratio: ratio(cmp.ctfg.cpuPerRequestMs, cmp.floor.cpuPerRequestMs) },
    { label: 'server CPU', value: cmp.ctfg.serverCores, unit: 'cores', floor: cmp.floor.serverCores },
    { label: 'client CPU', value: run.clientCpuMs / run.elapsedMs, unit: 'cores', floor: cmp.floor.run.clientCpuMs / cmp.floor.run.elapsedMs },
    // Issue 14's yardstick: what one solve costs every server process (ctfg, and PostgreSQL and Redis when used).
    { label: SERVER_CPU_PER_SOLVE, value: run.ok > 0 ? (cpu.ctfgMs + (topology.backend === 'postgres' ? cpu.postgresMs + cpu.redisMs : 0)) / run.ok : null, unit: 'ms' },
  ];
  if (teamSize > 0) {
    metrics.push({ label: 'team solves / teammates already solved', value: answers.correct, unit: `solves / ${answers.alreadySolved} already_solved (${Math.ceil(p.players / teamSize)} teams of ${teamSize})` });
  }
  if (topology.instances > 1) {
    metrics.push(
      { label: 'solves/s per instance', value: cmp.ctfg.throughput / topology.instances, unit: 'req/s' },
      { label: 'locked, retried', value: stale.retried, unit: 'answers (prerequisite not yet on that instance)' },
    );
  }
  if (onPostgres) {
    metrics.push(
      { label: 'PostgreSQL CPU', value: cores.postgres, unit: 'cores' },
      { label: 'PostgreSQL CPU / solve', value: run.ok > 0 ? cpu.postgresMs / run.ok : null, unit: 'ms' },
      { label: 'Redis CPU', value: cores.redis, unit: 'cores' },
      { label: 'PG backends running', value: activity?.running ?? null, unit: 'on average (sampled every 25 ms)' },
      { label: 'PG backends waiting on a lock', value: activity?.lockWaiting ?? null, unit: `on average (${activity ? Math.round(100 * activity.lockedShare) : '—'}% of samples had one)` },
    );
  }
  metrics.push(
    { label: 'machine CPU busy', value: cores.machine, unit: `of ${cores.nproc} cores` },
    { label: 'other processes CPU', value: cores.other, unit: 'cores (not ctfg, bench, PostgreSQL or Redis: other work, interrupt time)' },
  );
  return {
    scenario: NAME,
    variant: topologyVariant(topology),
    quick: ctx.quick,
    params: { ...p, submits, challenges: game.order.length, backend: topology.backend, instances: topology.instances, ...(teamSize > 0 ? { teamSize } : {}) },
    metrics,
    details: {
      roundRatios: cmp.roundRatios,
      ctfg: sideDetails(cmp.ctfg),
      floor: sideDetails(cmp.floor),
      lockedRetried: stale.retried,
      cpuDuringCtfgRounds: { ms: cpu, cores },
      ...(activity ? { postgresActivity: activity } : {}),
      ...(profile ? { profile } : {}),
    },
    notes: [
      'Players log in and set names before the timed part; each player submits its 15 testflags in prerequisite order, one at a time, with as many players at once as connections.',
      ...(teamSize > 0 ? [`Team mode: players ${teamSize} to a team in login order, so teammates submit the same flags side by side; the first is the team's solve and the others answer already_solved (counted as done, not as errors).`] : []),
      `Floor and ctfg run side by side and are loaded in ${p.rounds} alternating rounds (F C, C F, …); the floor answers the same requests with one prepared INSERT (same pragmas and indexes) and no session lookup.`,
      ...(topology.instances > 1
        ? [
            `ctfg ran as ${topology.instances} instances on one PostgreSQL database and Redis; the ${p.inFlight} connections were spread over them round robin, so a player's consecutive submits land on different instances. The floor is still the single SQLite process.`,
            'A submit answered "locked" reached an instance before the solve of its prerequisite did (it travels through Redis): it is queued again and not counted as an error or as throughput.',
          ]
        : onPostgres
          ? ['ctfg ran as one instance on PostgreSQL + Redis; the floor is still the single SQLite process.']
          : []),
      ...(onPostgres ? ['PostgreSQL and Redis CPU are whole-server figures over ctfg\'s rounds (other databases on the same server count too).'] : []),
    ],
    wallMs: performance.now() - began,
  };
}
