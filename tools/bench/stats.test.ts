import { describe, expect, it } from 'vitest';
import { nearestRank, summarize } from '../shared/stats.js';
import { LogHistogram, Samples, ratio, throughput } from './stats.js';

describe('Samples', () => {
  it('Samples grows past its initial capacity', () => {
    const s = new Samples();
    for (let i = 5000; i >= 1; i--) s.add(i);
    expect(s.count).toBe(5000);
    expect(s.summary().p99).toBe(4950);
  });
});

describe('ratio and throughput', () => {
  it('divides by the floor', () => {
    expect(ratio(600, 1000)).toBeCloseTo(0.6);
    expect(ratio(1500, 1000)).toBeCloseTo(1.5);
  });

  it('refuses a ratio to nothing', () => {
    expect(ratio(100, 0)).toBeNull();
    expect(ratio(100, null)).toBeNull();
    expect(ratio(null, 100)).toBeNull();
    expect(ratio(NaN, 100)).toBeNull();
    expect(ratio(100, -1)).toBeNull();
  });

  it('computes per-second rates from milliseconds', () => {
    expect(throughput(15_000, 3_000)).toBe(5_000);
    expect(throughput(10, 0)).toBe(0);
  });
});

describe('LogHistogram', () => {
  it('reports percentiles within 1% of the exact ones', () => {
    const h = new LogHistogram();
    const values: number[] = [];
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 20_000; i++) {
      const v = 0.05 + rand() ** 3 * 400; // skewed, 0.05 .. 400 ms
      values.push(v);
      h.record(v);
    }
    const exact = summarize(values);
    for (const p of [50, 95, 99] as const) {
      const got = h.percentile(p);
      const want = nearestRank(Float64Array.from(values).sort(), p);
      expect(Math.abs(got - want) / want).toBeLessThan(0.011);
    }
    expect(h.summary().max).toBe(exact.max);
    expect(h.summary().min).toBe(exact.min);
    expect(h.summary().mean).toBeCloseTo(exact.mean, 6);
  });

  it('merges across workers as if recorded in one place', () => {
    const a = new LogHistogram();
    const b = new LogHistogram();
    const all = new LogHistogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 ? a : b).record(i);
      all.record(i);
    }
    const merged = LogHistogram.fromData(a.toData());
    merged.merge(b.toData());
    expect(merged.count).toBe(1000);
    expect(merged.percentile(99)).toBe(all.percentile(99));
    expect(merged.summary().max).toBe(1000);
    expect(merged.summary().min).toBe(1);
  });

  it('clamps zero and negative values into the first bucket', () => {
    const h = new LogHistogram();
    h.record(0);
    h.record(-3);
    expect(h.count).toBe(2);
    expect(h.percentile(50)).toBe(0);
    expect(new LogHistogram().percentile(50)).toBeNaN();
  });
});
