import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Which backends the integration tests run against: `sqlite` (default) or
 * `postgres` (PostgreSQL + Redis, from CTFG_TEST_POSTGRES_URL and
 * CTFG_TEST_REDIS_URL; start them with scripts/services.sh).
 */
export const BACKEND = process.env.CTFG_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite';

export function serviceUrls(): { postgres: string; redis: string } {
  const postgres = process.env.CTFG_TEST_POSTGRES_URL;
  const redis = process.env.CTFG_TEST_REDIS_URL;
  if (!postgres || !redis) {
    throw new Error('CTFG_TEST_POSTGRES_URL and CTFG_TEST_REDIS_URL must be set: run eval "$(scripts/services.sh start)" first');
  }
  return { postgres, redis };
}

const created = new Map<string, Promise<string>>();

/** A database of its own for one logical game (keyed by its dbDir, so a restart finds it again). */
export function databaseFor(key: string): Promise<string> {
  let url = created.get(key);
  if (!url) created.set(key, (url = createDatabase(key)));
  return url;
}

async function createDatabase(key: string): Promise<string> {
  const { postgres } = serviceUrls();
  const name = `ctfg_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
  const admin = new pg.Client({ connectionString: postgres });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgres);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The Redis key prefix (and bus channel `<prefix>:bus`) of the game stored under `dbDir`. */
export function redisPrefixFor(dbDir: string): string {
  return `t${createHash('sha256').update(dbDir).digest('hex').slice(0, 12)}`;
}

/** Server arguments and environment that put one game on the chosen backend. */
export async function backendArgs(dbDir: string, backend: 'sqlite' | 'postgres' = BACKEND): Promise<{ args: string[]; env: Record<string, string> }> {
  if (backend === 'sqlite') return { args: [], env: {} };
  const { redis } = serviceUrls();
  const db = await databaseFor(dbDir);
  return { args: ['--database', db, '--redis', redis], env: { CTFG_REDIS_PREFIX: redisPrefixFor(dbDir) } };
}
