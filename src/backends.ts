import { MemoryRateLimiter, type RateLimiter } from './limits/rate-limiter.js';
import { RedisRateLimiter } from './limits/redis-rate-limiter.js';
import { LocalFanOut, type FanOut } from './live/fanout.js';
import { RedisFanOut } from './live/redis/redis-fanout.js';
import { PostgresStore } from './storage/postgres/postgres-store.js';
import { SqliteStore } from './storage/sqlite/sqlite-store.js';
import type { Store } from './storage/store.js';

export interface Backends {
  readonly store: Store;
  readonly fanout: FanOut;
  readonly limiter: RateLimiter;
}

export interface BackendChoice {
  readonly databaseUrl?: string | null;
  readonly redisUrl?: string | null;
  readonly dbDir?: string;
  readonly gameDir: string;
}

/**
 * Picks the backends: embedded SQLite and in-process fan-out by default;
 * PostgreSQL and Redis when URLs are given (several instances, one game).
 */
export async function openBackends(
  choice: BackendChoice,
  settings: { sqliteSync: 'normal' | 'full'; redisPrefix: string },
): Promise<Backends> {
  const store: Store = choice.databaseUrl
    ? await PostgresStore.open({ connectionString: choice.databaseUrl })
    : new SqliteStore({ dbDir: choice.dbDir ?? choice.gameDir, synchronous: settings.sqliteSync });
  try {
    if (!choice.redisUrl) return { store, fanout: new LocalFanOut(), limiter: new MemoryRateLimiter() };
    const fanout = await RedisFanOut.open(choice.redisUrl, settings.redisPrefix);
    const limiter = await RedisRateLimiter.open(choice.redisUrl, settings.redisPrefix).catch(async (err: unknown) => {
      await fanout.close();
      throw err;
    });
    return { store, fanout, limiter };
  } catch (err) {
    await store.close();
    throw err;
  }
}
