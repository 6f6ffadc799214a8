import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/limits/rate-limiter.js';
import { RedisRateLimiter } from '../../src/limits/redis-rate-limiter.js';
import { rateLimiterContract } from './rate-limiter-contract.js';

rateLimiterContract('in-process', async () => new MemoryRateLimiter());

// Like the other contract suites, Redis runs where the services are (scripts/services.sh).
const redisUrl = process.env.CTFG_TEST_REDIS_URL;
if (redisUrl) rateLimiterContract('Redis', () => RedisRateLimiter.open(redisUrl, `ctfg-test-${randomUUID()}`));

describe.runIf(redisUrl)('Redis rate limiter: peeks answered without Redis stay exact across instances', () => {
  const rule = { burst: 2, refillSeconds: 60 };

  it('sees a bucket spent on another instance before it started, and one spent while it runs', async () => {
    const prefix = `ctfg-test-${randomUUID()}`;
    const a = await RedisRateLimiter.open(redisUrl as string, prefix);
    try {
      expect(await a.take(rule, 'before')).toBe(0);
      expect(await a.take(rule, 'before')).toBe(0);
      // b starts after the spends: it finds the bucket's key and asks Redis.
      const b = await RedisRateLimiter.open(redisUrl as string, prefix);
      try {
        expect(await b.peek(rule, 'before')).toBeGreaterThan(0);
        expect(await b.peek(rule, 'untouched')).toBe(0);
        expect(await a.take(rule, 'during')).toBe(0);
        expect(await a.take(rule, 'during')).toBe(0);
        // The announcement travels through Redis pub/sub; within a second b must know.
        const deadline = Date.now() + 1000;
        let wait = await b.peek(rule, 'during');
        while (wait === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 5));
          wait = await b.peek(rule, 'during');
        }
        expect(wait).toBeGreaterThan(0);
      } finally {
        b.close();
      }
    } finally {
      a.close();
    }
  });
});
