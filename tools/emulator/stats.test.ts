import { describe, expect, it } from 'vitest';
import { histogram } from './stats.js';

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
