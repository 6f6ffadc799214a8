/**
 * Several ctfg instances as one game (--instances, --backend postgres): a
 * fresh PostgreSQL database and a Redis key prefix per run, N instances on
 * them, and CPU meters for everything that shares the machine: the
 * instances, PostgreSQL, Redis, the bench itself, and /proc/stat for the
 * rest (other work on a shared machine).
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { machineCpuMs, postgresCpuMs, statOf, type CpuSnapshot } from './cpu.js';
import { readProc, startCtfg, type RunningProcess } from './launcher.js';
import { samplePg, type PgSampler } from './pg-activity.js';

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
