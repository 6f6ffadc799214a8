/**
 * Nearest-rank percentile of ascending `sorted`: the smallest sample such that
 * at least p% of the samples are ≤ it; p in [0, 100]. NaN for no samples.
 * Shared by the emulator and the benchmark so their figures mean the same.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  if (p <= 0) return sorted[0] as number;
  const rank = Math.ceil((Math.min(p, 100) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)] as number;
}
