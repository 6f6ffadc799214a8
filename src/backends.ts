import type { Logger } from 'pino';
import { serveLiveCopies } from './backup/live-copy.js';
import type { CloseSteps } from './lifecycle/close-steps.js';
import { MemoryRateLimiter, type RateLimiter } from './limits/rate-limiter.js';
import { RedisRateLimiter } from './limits/redis-rate-limiter.js';
import { LocalFanOut, type FanOut } from './live/fanout.js';
import { RedisFanOut } from './live/redis/redis-fanout.js';
import type { Settings } from './settings/settings.js';
import { InstanceLock } from './storage/postgres/instance-lock.js';
import { PostgresStore } from './storage/postgres/postgres-store.js';
import { SqliteStore } from './storage/sqlite/sqlite-store.js';
import type { Store } from './storage/store.js';

export interface Backends {
  readonly store: Store;
  readonly fanout: FanOut;
  readonly limiter: RateLimiter;
  /** several instances share this game (Redis is set) */
  readonly shared: boolean;
}

type BackendSettings = Pick<Settings, 'database' | 'redisUrl' | 'redisPrefix' | 'dbDir' | 'gameDir' | 'sqliteSync'>;

async function openStore(settings: BackendSettings, closers: CloseSteps, logger: Logger): Promise<Store> {
  if (!settings.database) {
    const store = new SqliteStore({ dbDir: settings.dbDir ?? settings.gameDir, synchronous: settings.sqliteSync });
    closers.add('store', () => store.close());
    // `ctfg export` reads the running game through copies the store makes (its file is locked).
    closers.add('export socket', await serveLiveCopies(store, logger));
    return store;
  }
  // Taken before migrating, so a refused instance changes nothing.
  const lock = await InstanceLock.acquire(settings.database, Boolean(settings.redisUrl), (err) =>
    logger.error({ err }, 'the instance-lock connection to PostgreSQL failed'),
  );
  closers.add('instance lock', () => lock.release());
  const store = await PostgresStore.open({ connectionString: settings.database.url, defaultUser: settings.database.defaultUser });
  closers.add('store', () => store.close());
  return store;
}

/**
 * Picks the backends: embedded SQLite and in-process fan-out by default;
 * PostgreSQL and Redis when URLs are given (several instances, one game).
 * Each one opened is added to `closers`.
 */
export async function openBackends(settings: BackendSettings, closers: CloseSteps, logger: Logger): Promise<Backends> {
  const store = await openStore(settings, closers, logger);
  if (!settings.redisUrl) {
    const limiter = new MemoryRateLimiter();
    closers.add('rate limiter', () => limiter.close());
    return { store, fanout: new LocalFanOut(), limiter, shared: false };
  }
  const fanout = await RedisFanOut.open(settings.redisUrl, settings.redisPrefix);
  closers.add('fan-out', () => fanout.close());
  const limiter = await RedisRateLimiter.open(settings.redisUrl, settings.redisPrefix);
  closers.add('rate limiter', () => limiter.close());
  return { store, fanout, limiter, shared: true };
}
