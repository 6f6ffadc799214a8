import { randomUUID } from 'node:crypto';
import { MemoryRateLimiter } from '../../src/limits/rate-limiter.js';
import { RedisRateLimiter } from '../../src/limits/redis-rate-limiter.js';
import { rateLimiterContract } from './rate-limiter-contract.js';

rateLimiterContract('in-process', async () => new MemoryRateLimiter());

// Like the other contract suites, Redis runs where the services are (scripts/services.sh).
const redisUrl = process.env.CTFG_TEST_REDIS_URL;
if (redisUrl) rateLimiterContract('Redis', () => RedisRateLimiter.open(redisUrl, `ctfg-test-${randomUUID()}`));
