import { describe, expect, it } from 'vitest';
import { nearestRank, summarize } from './stats.js';

describe('nearestRank', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100

  it('picks the smallest sample with at least p% at or below it', () => {
    expect(nearestRank(hundred, 50)).toBe(50);
    expect(nearestRank(hundred, 90)).toBe(90);
    expect(nearestRank(hundred, 99)).toBe(99);
    expect(nearestRank(hundred, 99.5)).toBe(100);
    expect(nearestRank(hundred, 100)).toBe(100);
    expect(nearestRank(hundred, 0)).toBe(1);
  });

  it('handles tiny and empty inputs', () => {
    expect(nearestRank([7], 1)).toBe(7);
    expect(nearestRank([7], 99)).toBe(7);
    expect(nearestRank([1, 2], 50)).toBe(1);
    expect(nearestRank([1, 2], 51)).toBe(2);
    expect(nearestRank([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('summarises unsorted samples numerically without modifying them', () => {
    const samples = [10, 9, 100, 1, 2];
    const s = summarize(samples);
    expect(samples).toEqual([10, 9, 100, 1, 2]);
    expect(s).toMatchObject({ count: 5, min: 1, max: 100, p50: 9, p90: 100, p95: 100, p99: 100 });
    expect(s.mean).toBeCloseTo(24.4);
  });

  it('p99 of 1000 samples ignores the 10 slowest but not the 11th', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i < 989 ? 10 : i < 990 ? 500 : 9000));
    expect(summarize(samples)).toMatchObject({ p95: 10, p99: 500, max: 9000 });
  });

  it('summarises nothing as no numbers', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.max).toBeNaN();
  });
});
