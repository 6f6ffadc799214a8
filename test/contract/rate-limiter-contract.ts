import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BucketRef, RateLimiter } from '../../src/limits/rate-limiter.js';

let unique = 0;
/** A key no other test touches (Redis buckets outlive a test run by their expiry). */
const key = (name: string): string => `${name}:${process.pid}:${Date.now()}:${++unique}`;

/**
 * What every rate limiter must do (SPEC §6): token buckets that spend only
 * what they are told to, atomically, so parallel attempts never pass the burst.
 */
export function rateLimiterContract(name: string, open: () => Promise<RateLimiter>): void {
  describe(`rate limiter contract: ${name}`, () => {
    let limiter: RateLimiter;
    beforeAll(async () => {
      limiter = await open();
    });
    afterAll(() => limiter.close());

    it('take spends up to the burst, then answers the wait until a token is back', async () => {
      const rule = { burst: 3, refillSeconds: 60 };
      const k = key('take');
      const waits = [];
      for (let i = 0; i < 4; i++) waits.push(await limiter.take(rule, k));
      expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
      expect(waits[3]).toBeGreaterThan(59_000);
      expect(waits[3]).toBeLessThanOrEqual(60_000);
      expect(await limiter.peek(rule, k)).toBeGreaterThan(0);
    });

    it('peek never spends', async () => {
      const rule = { burst: 1, refillSeconds: 60 };
      const k = key('peek');
      for (let i = 0; i < 5; i++) expect(await limiter.peek(rule, k)).toBe(0);
      expect(await limiter.take(rule, k)).toBe(0);
      expect(await limiter.peek(rule, k)).toBeGreaterThan(0);
    });

    it('refills one token per period', async () => {
      const rule = { burst: 2, refillSeconds: 0.2 };
      const k = key('refill');
      await limiter.take(rule, k);
      await limiter.take(rule, k);
      expect(await limiter.take(rule, k)).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 260));
      expect(await limiter.take(rule, k)).toBe(0);
      expect(await limiter.take(rule, k)).toBeGreaterThan(0);
    });

    it('reserve spends from every bucket or from none', async () => {
      const small = { rule: { burst: 1, refillSeconds: 60 }, key: key('small') };
      const big = { rule: { burst: 5, refillSeconds: 60 }, key: key('big') };
      expect(await limiter.reserve([small, big])).toBe(0);
      await limiter.release([small, big]);
      expect(await limiter.reserve([small, big])).toBeGreaterThan(1_000);
      // The refused reserve left the big bucket alone: 4 tokens remain.
      const left = [];
      for (let i = 0; i < 5; i++) left.push(await limiter.take(big.rule, big.key));
      expect(left.filter((w) => w === 0)).toHaveLength(4);
    });

    it('refund gives the reserved token back, never above the burst', async () => {
      const b: BucketRef = { rule: { burst: 2, refillSeconds: 60 }, key: key('refund') };
      for (let i = 0; i < 10; i++) {
        expect(await limiter.reserve([b])).toBe(0);
        await limiter.refund([b]);
      }
      await limiter.refund([b]);
      await limiter.refund([b]);
      expect(await limiter.reserve([b])).toBe(0);
      expect(await limiter.reserve([b])).toBe(0);
      await limiter.release([b]);
      await limiter.release([b]);
      expect(await limiter.reserve([b])).toBeGreaterThan(0);
    });

    it('100 parallel failing attempts on a burst of 10: 10 judged, the other 90 refused once those fail', async () => {
      const buckets: BucketRef[] = [
        { rule: { burst: 10, refillSeconds: 60 }, key: key('race-a') },
        { rule: { burst: 100, refillSeconds: 60 }, key: key('race-b') },
      ];
      let judging = 0;
      let most = 0;
      const attempt = async (): Promise<number> => {
        const wait = await limiter.reserve(buckets);
        if (wait > 0) return wait;
        most = Math.max(most, ++judging);
        await new Promise((r) => setTimeout(r, 30));
        judging--;
        await limiter.release(buckets);
        return 0;
      };
      const waits = await Promise.all(Array.from({ length: 100 }, attempt));
      expect(waits.filter((w) => w === 0)).toHaveLength(10);
      expect(most).toBeLessThanOrEqual(10);
      expect(Math.min(...waits.filter((w) => w > 0))).toBeGreaterThan(1_000);
    });

    it('200 parallel succeeding attempts on a burst of 100 all pass, never more than 100 judged at once', async () => {
      const b: BucketRef = { rule: { burst: 100, refillSeconds: 60 }, key: key('classroom') };
      let judging = 0;
      let most = 0;
      const attempt = async (): Promise<number> => {
        const wait = await limiter.reserve([b]);
        if (wait > 0) return wait;
        most = Math.max(most, ++judging);
        await new Promise((r) => setTimeout(r, 20));
        judging--;
        await limiter.refund([b]);
        return 0;
      };
      const waits = await Promise.all(Array.from({ length: 200 }, attempt));
      expect(waits.filter((w) => w === 0)).toHaveLength(200);
      expect(most).toBeLessThanOrEqual(100);
    });

    it('charge spends even when empty, down to minus the burst', async () => {
      const rule = { burst: 2, refillSeconds: 0.1 };
      const k = key('charge');
      for (let i = 0; i < 10; i++) await limiter.charge(rule, k);
      // Floored at −2 tokens: three short of one, 3 × 100 ms (plus rounding), never more.
      const wait = await limiter.peek(rule, k);
      expect(wait).toBeGreaterThan(250);
      expect(wait).toBeLessThanOrEqual(302);
    });

    it('keeps buckets of different keys and rules apart, and clear empties them', async () => {
      const rule = { burst: 1, refillSeconds: 60 };
      const k = key('apart');
      expect(await limiter.take(rule, k)).toBe(0);
      expect(await limiter.take(rule, `${k}-other`)).toBe(0);
      expect(await limiter.take({ burst: 2, refillSeconds: 60 }, k)).toBe(0);
      expect(await limiter.take(rule, k)).toBeGreaterThan(0);
      await limiter.clear();
      expect(await limiter.take(rule, k)).toBe(0);
    });
  });
}
