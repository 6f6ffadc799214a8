import { describe, expect, it } from 'vitest';
import { roundOrder } from './compare.js';
import { combine, type LoadResult } from './load.js';
import { Samples, ratio, throughput } from './stats.js';

function run(ok: number, elapsedMs: number, latencies: number[], errorKinds: Record<string, number> = {}): LoadResult {
  const s = new Samples();
  s.addAll(latencies);
  const errors = Object.values(errorKinds).reduce((n, k) => n + k, 0);
  return { ok, errors, errorKinds, latencies: s, elapsedMs, clientCpuMs: elapsedMs / 4 };
}

describe('alternating rounds', () => {
  it('alternates which side goes first, so drift falls on both alike', () => {
    expect(roundOrder(4)).toEqual([
      ['floor', 0],
      ['ctfg', 0],
      ['ctfg', 1],
      ['floor', 1],
      ['floor', 2],
      ['ctfg', 2],
      ['ctfg', 3],
      ['floor', 3],
    ]);
  });

  it('combines rounds into one run: throughput is total answers over total time', () => {
    const all = combine([run(1000, 500, [1, 2, 3]), run(3000, 3000, [4, 5], { 'HTTP 500': 2 })]);
    expect(all.ok).toBe(4000);
    expect(all.errors).toBe(2);
    expect(all.errorKinds).toEqual({ 'HTTP 500': 2 });
    expect(all.latencies.count).toBe(5);
    expect(all.latencies.summary().max).toBe(5);
    // 4000 answers in 3.5 s, not the mean of the rounds' 2000/s and 1000/s
    expect(throughput(all.ok, all.elapsedMs)).toBeCloseTo(4000 / 3.5);
    expect(ratio(throughput(all.ok, all.elapsedMs), 4000 / 3.5 / 0.8)).toBeCloseTo(0.8);
  });
});
