/** Histograms and rounding for the emulator's report; percentiles come from ../shared/stats. */
export { summarize, type Summary as Percentiles } from '../shared/stats.js';

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
