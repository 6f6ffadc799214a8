import { describe, expect, it } from 'vitest';
import { histogram, percentileOfSorted, summarize } from './stats.js';

describe('percentiles (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('picks real samples at the expected ranks', () => {
    expect(percentileOfSorted(hundred, 50)).toBe(50);
    expect(percentileOfSorted(hundred, 90)).toBe(90);
    expect(percentileOfSorted(hundred, 99)).toBe(99);
    expect(percentileOfSorted(hundred, 100)).toBe(100);
    expect(percentileOfSorted(hundred, 0)).toBe(1);
  });

  it('handles tiny and empty inputs', () => {
    expect(percentileOfSorted([], 50)).toBe(0);
    expect(percentileOfSorted([7], 1)).toBe(7);
    expect(percentileOfSorted([7], 99)).toBe(7);
    expect(percentileOfSorted([1, 2], 50)).toBe(1);
    expect(percentileOfSorted([1, 2], 51)).toBe(2);
  });

  it('summarises unsorted samples without modifying them', () => {
    const samples = [5, 1, 4, 2, 3];
    const s = summarize(samples);
    expect(samples).toEqual([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ count: 5, min: 1, max: 5, mean: 3, p50: 3, p90: 5, p95: 5, p99: 5 });
  });

  it('p99 of 1000 samples ignores the 10 slowest but not the 11th', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i < 989 ? 10 : i < 990 ? 500 : 9000));
    expect(summarize(samples).p99).toBe(500);
    expect(summarize(samples).p95).toBe(10);
    expect(summarize(samples).max).toBe(9000);
  });

  it('summarises nothing as zeros', () => {
    expect(summarize([])).toMatchObject({ count: 0, p50: 0, max: 0 });
  });
});

describe('histogram', () => {
  it('uses nice bin widths and counts every sample once', () => {
    const samples = [0, 3, 9.9, 10, 47, 99];
    const bins = histogram(samples, 10);
    expect(bins[0]).toEqual({ from: 0, to: 10, count: 3 });
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(samples.length);
    expect(bins.length).toBeLessThanOrEqual(11);
    expect(bins.at(-1)?.count).toBe(1);
  });

  it('is empty for no samples', () => {
    expect(histogram([])).toEqual([]);
  });
});
