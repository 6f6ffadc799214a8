/**
 * Several ctfg instances as one game (--instances, --backend postgres): a
 * fresh PostgreSQL database and a Redis key prefix per run, N instances on
 * them, and CPU meters for everything that shares the machine: the
 * instances, PostgreSQL, Redis, the bench itself, and /proc/stat for the
 * rest (other work on a shared machine).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CLK_TCK, readProc, startCtfg, type RunningProcess } from './launcher.js';

export type Backend = 'sqlite' | 'postgres';

/** How a scenario runs ctfg: SQLite is one instance; PostgreSQL + Redis is one or more. */
export interface Topology {
  readonly backend: Backend;
  readonly instances: number;
}

export const SINGLE_SQLITE: Topology = { backend: 'sqlite', instances: 1 };

export function topologyLabel(t: Topology): string {
  return t.backend === 'sqlite' ? 'SQLite ×1' : `PostgreSQL+Redis ×${t.instances}`;
}

/** File-name suffix: none for the default (SQLite ×1), so today's result files keep their names. */
export function topologySlug(t: Topology): string {
  return t.backend === 'sqlite' ? '' : `-postgres-x${t.instances}`;
}

/** How a result names its topology (undefined for the default, SQLite ×1). */
export function topologyVariant(t: Topology): { readonly label: string; readonly slug: string } | undefined {
  return t.backend === 'sqlite' ? undefined : { label: topologyLabel(t), slug: topologySlug(t) };
}

export interface ServiceUrls {
  /** an admin connection (e.g. the `postgres` database) that may CREATE DATABASE */
  readonly postgres: string;
  readonly redis: string;
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * The PostgreSQL and Redis to run on: the flags, else CTFG_TEST_POSTGRES_URL
 * and CTFG_TEST_REDIS_URL (`eval "$(scripts/services.sh start)"`). Both must
 * be on loopback: their CPU is read from /proc and counted against the run.
 */
export function resolveServices(postgresFlag: string | undefined, redisFlag: string | undefined): ServiceUrls {
  const postgres = postgresFlag ?? process.env.CTFG_TEST_POSTGRES_URL;
  const redis = redisFlag ?? process.env.CTFG_TEST_REDIS_URL;
  if (!postgres || !redis) {
    throw new Error('--backend postgres needs PostgreSQL and Redis: run `eval "$(scripts/services.sh start)"` (sets CTFG_TEST_POSTGRES_URL and CTFG_TEST_REDIS_URL) or pass --postgres and --redis');
  }
  for (const [name, raw, schemes] of [
    ['--postgres', postgres, ['postgres:', 'postgresql:']],
    ['--redis', redis, ['redis:']],
  ] as const) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`${name}: not a URL: ${raw}`);
    }
    if (!(schemes as readonly string[]).includes(url.protocol)) throw new Error(`${name}: expected ${schemes.join(' or ')}//… , got ${url.protocol}`);
    if (!isLoopback(url.hostname)) throw new Error(`${name}: ${url.hostname} is not loopback; the bench measures the server's CPU from /proc, so it must run on this machine`);
  }
  return { postgres, redis };
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database `bench_<random>`: runs never share state. */
async function createDatabase(adminUrl: string): Promise<{ name: string; url: string }> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  // WITH (FORCE) (PostgreSQL 13+) ends sessions an instance may have left behind.
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** The postmaster: the parent of our own backend process (read while the connection, and so the backend, lives). */
async function postmasterPid(dbUrl: string): Promise<number | null> {
  return withClient(dbUrl, async (c) => {
    const backend = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const ppid = backend === undefined ? null : (statOf(backend)?.ppid ?? null);
    return ppid !== null && Number.isInteger(ppid) && ppid > 1 ? ppid : null;
  });
}

async function withRedis<T>(url: string, work: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 10_000 });
  await r.connect();
  try {
    return await work(r);
  } finally {
    r.disconnect();
  }
}

async function redisPid(url: string): Promise<number | null> {
  const info = await withRedis(url, (r) => r.info('server'));
  const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Deletes the run's keys (rate-limit buckets) under `<prefix>:`; bounded. */
async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  return withRedis(url, async (r) => {
    let cursor = '0';
    let deleted = 0;
    for (let i = 0; i < 10_000; i++) {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await r.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    return deleted;
  });
}

// ── CPU accounting ─────────────────────────────────────────────────────────

interface StatFields {
  readonly ppid: number;
  /** utime + stime, ms */
  readonly ownMs: number;
  /** cutime + cstime (children already reaped), ms */
  readonly childrenMs: number;
}

function statOf(pid: number | string): StatFields | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (i: number): number => (Number(f[i]) * 1000) / CLK_TCK;
    return { ppid: Number(f[1]), ownMs: ms(11) + ms(12), childrenMs: ms(13) + ms(14) };
  } catch {
    return null;
  }
}

/**
 * All CPU PostgreSQL used so far: the postmaster, its live children
 * (backends, walwriter, checkpointer, autovacuum) and, through cutime, the
 * children it already reaped. Whole server: other databases count too.
 */
function postgresCpuMs(postmaster: number): number {
  const root = statOf(postmaster);
  if (!root) return NaN;
  let total = root.ownMs + root.childrenMs;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = statOf(entry);
    if (s && s.ppid === postmaster) total += s.ownMs;
  }
  return total;
}

/** Busy and total CPU time of the whole machine (all CPUs), ms, from /proc/stat. */
function machineCpuMs(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
    const total = busy + (idle ?? 0) + (iowait ?? 0);
    return { busy: (busy * 1000) / CLK_TCK, total: (total * 1000) / CLK_TCK };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

export interface CpuSnapshot {
  readonly at: number;
  readonly ctfgMs: number;
  readonly postgresMs: number;
  readonly redisMs: number;
  readonly benchMs: number;
  readonly machineBusyMs: number;
  readonly machineTotalMs: number;
}

/** CPU used over a span, in ms of CPU time; NaN for what was not measured (no PostgreSQL on SQLite). */
export interface CpuUse {
  readonly wallMs: number;
  readonly ctfgMs: number;
  readonly postgresMs: number;
  readonly redisMs: number;
  readonly benchMs: number;
  readonly machineBusyMs: number;
  readonly machineTotalMs: number;
}

export const NO_CPU_USE: CpuUse = { wallMs: 0, ctfgMs: 0, postgresMs: 0, redisMs: 0, benchMs: 0, machineBusyMs: 0, machineTotalMs: 0 };

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuUse {
  return {
    wallMs: b.at - a.at,
    ctfgMs: b.ctfgMs - a.ctfgMs,
    postgresMs: b.postgresMs - a.postgresMs,
    redisMs: b.redisMs - a.redisMs,
    benchMs: b.benchMs - a.benchMs,
    machineBusyMs: b.machineBusyMs - a.machineBusyMs,
    machineTotalMs: b.machineTotalMs - a.machineTotalMs,
  };
}

export function addCpuUse(a: CpuUse, b: CpuUse): CpuUse {
  return {
    wallMs: a.wallMs + b.wallMs,
    ctfgMs: a.ctfgMs + b.ctfgMs,
    postgresMs: a.postgresMs + b.postgresMs,
    redisMs: a.redisMs + b.redisMs,
    benchMs: a.benchMs + b.benchMs,
    machineBusyMs: a.machineBusyMs + b.machineBusyMs,
    machineTotalMs: a.machineTotalMs + b.machineTotalMs,
  };
}

/** The same span in cores (1.0 = one CPU busy the whole time). */
export interface CpuCores {
  readonly ctfg: number;
  readonly postgres: number;
  readonly redis: number;
  readonly bench: number;
  /** the whole machine, out of `nproc` */
  readonly machine: number;
  readonly nproc: number;
  /** machine − everything above: other work on the machine (and the kernel's share of our I/O not billed to a process) */
  readonly other: number;
}

export function cpuCores(u: CpuUse, nproc = os.availableParallelism()): CpuCores {
  const c = (ms: number): number => (u.wallMs > 0 ? ms / u.wallMs : NaN);
  const machine = u.machineTotalMs > 0 ? (u.machineBusyMs / u.machineTotalMs) * nproc : NaN;
  const known = [u.ctfgMs, u.postgresMs, u.redisMs, u.benchMs].filter(Number.isFinite).reduce((n, ms) => n + ms, 0);
  return {
    ctfg: c(u.ctfgMs),
    postgres: c(u.postgresMs),
    redis: c(u.redisMs),
    bench: c(u.benchMs),
    machine,
    nproc,
    other: machine - c(known),
  };
}

// ── PostgreSQL activity ────────────────────────────────────────────────────

/** What the game's PostgreSQL backends were doing, averaged over samples. */
export interface PgActivity {
  readonly samples: number;
  /** backends running a query (on CPU or I/O), on average */
  readonly running: number;
  /** backends waiting for a lock (with ctfg: the event-counter row every write bumps), on average */
  readonly lockWaiting: number;
  /** backends waiting on their client (ctfg) inside a transaction, on average */
  readonly idleInTransaction: number;
  /** share of samples in which at least one backend waited for a lock */
  readonly lockedShare: number;
}

export interface PgSampler {
  /** stops sampling; the averages since start (or since the last stop) */
  stop(): Promise<PgActivity>;
}

const ACTIVITY = `
SELECT count(*) FILTER (WHERE state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock')::int AS running,
       count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')::int AS waiting,
       count(*) FILTER (WHERE state = 'idle in transaction')::int AS idle_tx
FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;

/**
 * Samples pg_stat_activity of the run's database every `everyMs` on its own
 * connection until stopped (bounded by `maxMs` in any case), to show whether
 * writers run side by side or queue on a lock.
 */
async function samplePg(dbUrl: string, everyMs = 25, maxMs = 600_000): Promise<PgSampler> {
  const client = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  let samples = 0;
  let running = 0;
  let waiting = 0;
  let idleTx = 0;
  let lockedSamples = 0;
  let stopped = false;
  const until = performance.now() + maxMs;
  const loop = (async () => {
    while (!stopped && performance.now() < until) {
      const started = performance.now();
      try {
        const row = (await client.query<{ running: number; waiting: number; idle_tx: number }>(ACTIVITY)).rows[0];
        if (row) {
          samples++;
          running += row.running;
          waiting += row.waiting;
          idleTx += row.idle_tx;
          if (row.waiting > 0) lockedSamples++;
        }
      } catch {
        return;
      }
      const rest = everyMs - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end().catch(() => undefined);
      const avg = (n: number): number => (samples > 0 ? n / samples : NaN);
      return { samples, running: avg(running), lockWaiting: avg(waiting), idleInTransaction: avg(idleTx), lockedShare: avg(lockedSamples) };
    },
  };
}

/** Adds two sets of samples (e.g. the rounds ctfg was loaded). */
export function addPgActivity(a: PgActivity | null, b: PgActivity): PgActivity {
  if (!a || a.samples === 0) return b;
  const n = a.samples + b.samples;
  const mix = (x: number, y: number): number => (x * a.samples + y * b.samples) / n;
  return {
    samples: n,
    running: mix(a.running, b.running),
    lockWaiting: mix(a.lockWaiting, b.lockWaiting),
    idleInTransaction: mix(a.idleInTransaction, b.idleInTransaction),
    lockedShare: mix(a.lockedShare, b.lockedShare),
  };
}

// ── the cluster ────────────────────────────────────────────────────────────

export interface Cluster {
  readonly topology: Topology;
  readonly instances: readonly RunningProcess[];
  readonly host: string;
  readonly ports: readonly number[];
  readonly pids: readonly number[];
  /** ms from the first spawn until every instance served */
  readonly startMs: number;
  /** the run's database and Redis prefix (postgres only) */
  readonly database: string | null;
  readonly redisPrefix: string | null;
  /** CPU used so far by everything the run involves (call twice, subtract with cpuBetween) */
  cpu(): CpuSnapshot;
  /** starts sampling what the game's PostgreSQL backends do; null on SQLite */
  samplePostgres(): Promise<PgSampler | null>;
  /** stops every instance, drops the database, deletes the Redis keys; notes what went wrong */
  stop(): Promise<string[]>;
}

export interface ClusterOptions {
  readonly entry: string;
  readonly gameDir: string;
  readonly dbDir: string;
  readonly topology: Topology;
  readonly services: ServiceUrls | null;
  /** node flags for the first instance only (e.g. the inspector for --cpu-prof) */
  readonly firstNodeArgs?: readonly string[];
  readonly cpus?: string | null;
}

function snapshotter(pids: readonly number[], postmaster: number | null, redis: number | null): () => CpuSnapshot {
  return () => {
    const machine = machineCpuMs();
    const bench = process.cpuUsage();
    return {
      at: performance.now(),
      ctfgMs: pids.reduce((n, pid) => n + (readProc(pid)?.cpuMs ?? NaN), 0),
      postgresMs: postmaster === null ? NaN : postgresCpuMs(postmaster),
      redisMs: redis === null ? NaN : (readProc(redis)?.cpuMs ?? NaN),
      benchMs: (bench.user + bench.system) / 1000,
      machineBusyMs: machine.busy,
      machineTotalMs: machine.total,
    };
  };
}

async function stopAll(procs: readonly RunningProcess[]): Promise<string[]> {
  const codes = await Promise.all(procs.map((p) => p.stop()));
  return codes.flatMap((code, i) => (code !== 0 && code !== null ? [`ctfg instance ${i + 1} exited with ${code}`] : []));
}

/**
 * Starts the instances: one on SQLite, or N on a fresh PostgreSQL database
 * and one Redis prefix (migrations run under an advisory lock, so they may
 * start together).
 */
export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const began = performance.now();
  const { topology } = o;
  if (topology.backend === 'sqlite') {
    if (topology.instances !== 1) throw new Error('SQLite runs one instance; several need --backend postgres');
    const proc = await startCtfg({ entry: o.entry, gameDir: o.gameDir, dbDir: o.dbDir, nodeArgs: o.firstNodeArgs ?? [], cpus: o.cpus ?? null });
    return {
      topology,
      instances: [proc],
      host: proc.host,
      ports: [proc.port],
      pids: [proc.pid],
      startMs: proc.startMs,
      database: null,
      redisPrefix: null,
      cpu: snapshotter([proc.pid], null, null),
      samplePostgres: async () => null,
      stop: () => stopAll([proc]),
    };
  }
  const services = o.services;
  if (!services) throw new Error('--backend postgres needs PostgreSQL and Redis URLs');
  const db = await createDatabase(services.postgres);
  const prefix = `bench${randomBytes(6).toString('hex')}`;
  const cleanup = async (): Promise<string[]> => {
    const notes: string[] = [];
    await dropDatabase(services.postgres, db.name).catch((err: unknown) => notes.push(`could not drop database ${db.name}: ${String(err)}`));
    await deleteRedisKeys(services.redis, prefix).catch((err: unknown) => notes.push(`could not delete Redis keys ${prefix}:*: ${String(err)}`));
    return notes;
  };
  const started: RunningProcess[] = [];
  try {
    const [postmaster, redis] = await Promise.all([postmasterPid(db.url), redisPid(services.redis)]);
    const results = await Promise.allSettled(
      Array.from({ length: topology.instances }, (_, i) =>
        startCtfg({
          entry: o.entry,
          gameDir: o.gameDir,
          dbDir: o.dbDir,
          nodeArgs: i === 0 ? (o.firstNodeArgs ?? []) : [],
          cpus: o.cpus ?? null,
          args: ['--database', db.url, '--redis', services.redis],
          env: { CTFG_REDIS_PREFIX: prefix },
        }),
      ),
    );
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const pids = started.map((p) => p.pid);
    return {
      topology,
      instances: started,
      host: started[0]?.host ?? '127.0.0.1',
      ports: started.map((p) => p.port),
      pids,
      startMs: performance.now() - began,
      database: db.name,
      redisPrefix: prefix,
      cpu: snapshotter(pids, postmaster, redis),
      samplePostgres: () => samplePg(db.url),
      async stop() {
        const notes = await stopAll(started);
        return [...notes, ...(await cleanup())];
      },
    };
  } catch (err) {
    await stopAll(started);
    await cleanup();
    throw err;
  }
}
