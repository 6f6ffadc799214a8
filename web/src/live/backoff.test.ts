import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from './backoff.js';

describe('backoff', () => {
  it('doubles the ceiling from 0.5 s and caps it at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((a) => backoffCeiling(a))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it('uses full jitter: anywhere between the floor and the ceiling', () => {
    expect(backoffDelay(3, () => 0)).toBe(DEFAULT_BACKOFF.minMs);
    expect(backoffDelay(3, () => 0.5)).toBe(2000);
    expect(backoffDelay(3, () => 0.999999)).toBeLessThanOrEqual(4000);
    expect(backoffDelay(50, () => 0.999999)).toBeLessThanOrEqual(30_000);
  });

  it('never returns less than the floor, even for odd random values', () => {
    for (const r of [-1, 0, 0.0001, 2, Number.NaN]) {
      const d = backoffDelay(0, () => r);
      expect(d).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.minMs);
      expect(d).toBeLessThanOrEqual(500);
    }
  });

  it('treats negative attempts as the first one', () => {
    expect(backoffCeiling(-3)).toBe(500);
  });
});
