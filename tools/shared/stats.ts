/**
 * Latency statistics shared by the emulator and the benchmark, so their
 * figures mean the same. Percentiles use the nearest-rank method: a reported
 * value is always a sample that was really measured.
 */

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** No samples, no figures: NaN rather than a 0 that reads as "instant". */
export const EMPTY_SUMMARY: Summary = { count: 0, min: NaN, mean: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, max: NaN };

/**
 * Nearest-rank percentile of ascending `sorted`: the smallest sample such that
 * at least p% of the samples are ≤ it; p in [0, 100]. NaN for no samples.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  if (p <= 0) return sorted[0] as number;
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}

/** Summarises samples in any order; the input is not modified. */
export function summarize(values: ArrayLike<number>): Summary {
  if (values.length === 0) return EMPTY_SUMMARY;
  // A typed array sorts numerically (a plain array's default sort compares strings).
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i] as number;
  return {
    count: sorted.length,
    min: sorted[0] as number,
    mean: sum / sorted.length,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p95: nearestRank(sorted, 95),
    p99: nearestRank(sorted, 99),
    max: sorted[sorted.length - 1] as number,
  };
}
