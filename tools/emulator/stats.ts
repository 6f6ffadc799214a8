/**
 * Small, dependency-free statistics for latency samples. Percentiles use the
 * nearest-rank method: the reported value is always a sample that was really
 * measured, which is what an operator expects when reading "p99 = 812 ms".
 */
import { nearestRank } from '../shared/percentile.js';

export interface Percentiles {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export const EMPTY_PERCENTILES: Percentiles = { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };

/** Nearest-rank percentile of an ascending-sorted array; q in [0, 100]; 0 for no samples. */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? 0 : nearestRank(sorted, q);
}

/** Summarises samples (any order); the input is not modified. */
export function summarize(samples: readonly number[]): Percentiles {
  if (samples.length === 0) return EMPTY_PERCENTILES;
  const sorted = [...samples].sort((a, b) => a - b);
  let sum = 0;
  for (const s of sorted) sum += s;
  return {
    count: sorted.length,
    min: sorted[0] as number,
    mean: sum / sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p90: percentileOfSorted(sorted, 90),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
    max: sorted[sorted.length - 1] as number,
  };
}

export interface HistogramBin {
  /** inclusive lower edge, ms */
  readonly from: number;
  /** exclusive upper edge, ms */
  readonly to: number;
  readonly count: number;
}

/**
 * Equal-width histogram with "nice" bin widths (1, 2, 5 × 10^k) so the chart's
 * axis labels read naturally. At most `maxBins` bins; empty input → no bins.
 */
export function histogram(samples: readonly number[], maxBins = 30): HistogramBin[] {
  if (samples.length === 0) return [];
  let max = 0;
  for (const s of samples) if (s > max) max = s;
  const raw = Math.max(max, 1) / maxBins;
  const exp = Math.pow(10, Math.floor(Math.log10(raw)));
  const width = [1, 2, 5, 10].map((m) => m * exp).find((w) => w >= raw) ?? 10 * exp;
  const bins = Math.max(1, Math.floor(max / width) + 1);
  const counts = new Array<number>(bins).fill(0);
  for (const s of samples) {
    const i = Math.min(bins - 1, Math.max(0, Math.floor(s / width)));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ from: round(i * width), to: round((i + 1) * width), count }));
}

/** Rounds to 3 decimals: sub-microsecond digits are noise in a report. */
export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
