import { randomUUID } from 'node:crypto';
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
