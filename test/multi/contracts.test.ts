import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RedisFanOut } from '../../src/live/redis/redis-fanout.js';
import { PostgresStore } from '../../src/storage/postgres/postgres-store.js';
import { fanoutContract } from '../contract/fanout-contract.js';
import { storeContract } from '../contract/store-contract.js';
import { moderationStoreContract } from '../contract/moderation-store-contract.js';
import { databaseFor, serviceUrls } from '../helpers/backend.js';

storeContract('PostgreSQL', async () => PostgresStore.open({ connectionString: await databaseFor(randomUUID()) }));

fanoutContract('Redis', async () => {
  const { redis } = serviceUrls();
  const prefix = `contract-${randomUUID()}`;
  return [await RedisFanOut.open(redis, prefix), await RedisFanOut.open(redis, prefix), await RedisFanOut.open(redis, prefix)];
});

moderationStoreContract('PostgreSQL', async () => PostgresStore.open({ connectionString: await databaseFor(randomUUID()) }));

describe('PostgreSQL solves from two instances at once', () => {
  it('records each solve once across both, ids gapless, even when whole batches collide', async () => {
    const url = await databaseFor(randomUUID());
    const [a, b] = [await PostgresStore.open({ connectionString: url }), await PostgresStore.open({ connectionString: url })];
    try {
      const users = await a.syncUsers(Array.from({ length: 40 }, (_, i) => `p${i}`));
      const inputs = users.flatMap((u, i) => [1, 2, 3].map((c) => ({ userId: u.id, challengeId: c, points: 10, ts: 100 + i, reload: false })));
      // Both instances send every solve, interleaved, so their batches overlap.
      const outcomes = await Promise.all(inputs.flatMap((input) => [a.recordSolve(input), b.recordSolve(input)]));
      const recorded = outcomes.flatMap((o) => (o.kind === 'recorded' ? [o.event] : []));
      expect(recorded).toHaveLength(inputs.length);
      expect(new Set(recorded.map((e) => `${e.userId}:${e.challengeId}`)).size).toBe(inputs.length);
      const { events, lastId } = await a.load();
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      expect(lastId).toBe(inputs.length);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
