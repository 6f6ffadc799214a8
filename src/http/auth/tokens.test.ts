import type { FastifyRequest } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../limits/rate-limiter.js';
import { DEFAULT_LIMITS } from '../../limits/rules.js';
import { checkToken } from './tokens.js';

const RIGHT = 'the-right-token-0123456789';
const limiter = new MemoryRateLimiter();
const ctx = { limiter, limits: DEFAULT_LIMITS };
const from = (ip: string): FastifyRequest => ({ ip }) as FastifyRequest;

afterAll(() => limiter.close());
afterEach(async () => {
  await limiter.clear();
});

describe('checkToken', () => {
  it('accepts the right token, refuses wrong and missing ones, and never matches an unconfigured token', async () => {
    expect(await checkToken(ctx, from('192.0.2.1'), RIGHT, [null, RIGHT])).toEqual({ kind: 'ok', who: true });
    expect(await checkToken(ctx, from('192.0.2.1'), 'nope', [RIGHT])).toEqual({ kind: 'wrong' });
    expect(await checkToken(ctx, from('192.0.2.1'), null, [RIGHT])).toEqual({ kind: 'wrong' });
    expect(await checkToken(ctx, from('192.0.2.1'), '', [null])).toEqual({ kind: 'wrong' });
  });

  it('judges at most the burst of 100 parallel guesses, and then refuses the right token too', async () => {
    const guesses = Array.from({ length: 100 }, (_, i) => checkToken(ctx, from('198.51.100.1'), `guess-${i}`, [RIGHT]));
    const outcomes = await Promise.all(guesses);
    expect(outcomes.filter((o) => o.kind === 'wrong')).toHaveLength(DEFAULT_LIMITS.tokenFailures.burst);
    expect(outcomes.filter((o) => o.kind === 'rate_limited')).toHaveLength(100 - DEFAULT_LIMITS.tokenFailures.burst);
    const right = await checkToken(ctx, from('198.51.100.1'), RIGHT, [RIGHT]);
    expect(right.kind).toBe('rate_limited');
    // Another address is untouched; right tokens spend nothing however often they come.
    for (let i = 0; i < 50; i++) expect(await checkToken(ctx, from('198.51.100.2'), RIGHT, [RIGHT])).toEqual({ kind: 'ok', who: true });
  });
});
