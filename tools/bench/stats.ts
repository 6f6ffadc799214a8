/**
 * Latency statistics for the benchmark: exact percentiles over recorded
 * samples, a mergeable log-bucket histogram for millions of samples spread
 * over worker threads, and the ratio to the floor that every throughput
 * figure is reported as.
 */
import { EMPTY_SUMMARY, summarize, type Summary } from '../shared/stats.js';

export { EMPTY_SUMMARY, summarize, type Summary };

/**
 * `value / floor`, or null when either is missing or the floor is not a
 * positive number (a ratio to nothing is no result).
 */
export function ratio(value: number | null | undefined, floor: number | null | undefined): number | null {
  if (value === null || value === undefined || floor === null || floor === undefined) return null;
  if (!Number.isFinite(value) || !Number.isFinite(floor) || floor <= 0) return null;
  return value / floor;
}

/** Events per second over a span in milliseconds; 0 for an empty span. */
export function throughput(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
}

/** A growable array of samples (milliseconds), summarized exactly. */
export class Samples {
  private data = new Float64Array(1024);
  private n = 0;

  get count(): number {
    return this.n;
  }

  add(value: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = value;
  }

  addAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.add(values[i] as number);
  }

  values(): Float64Array {
    return this.data.subarray(0, this.n);
  }

  summary(): Summary {
    return summarize(this.values());
  }
}

/** What a histogram looks like on the wire between worker threads. */
export interface HistogramData {
  readonly counts: number[];
  readonly total: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Log-bucketed histogram of non-negative values (milliseconds). Bucket i
 * covers (LOW·G^(i-1), LOW·G^i]; with G = 1.01 a reported percentile is
 * within 1% of the true sample (values ≤ LOW share bucket 0). min, max and
 * mean are exact. Mergeable, so each worker keeps its own.
 */
export class LogHistogram {
  static readonly LOW = 0.01;
  static readonly GROWTH = 1.01;
  private static readonly LOG_GROWTH = Math.log(LogHistogram.GROWTH);
  /** 0.01 ms … ~1.3e5 s */
  private static readonly BUCKETS = 2400;

  private readonly counts = new Float64Array(LogHistogram.BUCKETS);
  private total = 0;
  private sum = 0;
  private lo = Infinity;
  private hi = -Infinity;

  get count(): number {
    return this.total;
  }

  private static index(value: number): number {
    if (!(value > LogHistogram.LOW)) return 0;
    const i = Math.ceil(Math.log(value / LogHistogram.LOW) / LogHistogram.LOG_GROWTH - 1e-9);
    return Math.min(i, LogHistogram.BUCKETS - 1);
  }

  private static upperBound(i: number): number {
    return LogHistogram.LOW * LogHistogram.GROWTH ** i;
  }

  record(value: number): void {
    const v = value < 0 ? 0 : value;
    const i = LogHistogram.index(v);
    this.counts[i] = (this.counts[i] as number) + 1;
    this.total++;
    this.sum += v;
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
  }

  /** Nearest-rank percentile, as its bucket's upper bound clamped to [min, max]. */
  percentile(p: number): number {
    if (this.total === 0) return NaN;
    if (p <= 0) return this.lo;
    if (p >= 100) return this.hi;
    const rank = Math.ceil((p / 100) * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return Math.min(this.hi, Math.max(this.lo, LogHistogram.upperBound(i)));
    }
    return this.hi;
  }

  summary(): Summary {
    if (this.total === 0) return EMPTY_SUMMARY;
    return {
      count: this.total,
      min: this.lo,
      mean: this.sum / this.total,
      p50: this.percentile(50),
      p90: this.percentile(90),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.hi,
    };
  }

  merge(other: LogHistogram | HistogramData): void {
    const data = other instanceof LogHistogram ? other.toData() : other;
    for (let i = 0; i < data.counts.length && i < this.counts.length; i++) {
      this.counts[i] = (this.counts[i] as number) + (data.counts[i] as number);
    }
    this.total += data.total;
    this.sum += data.sum;
    if (data.total > 0) {
      this.lo = Math.min(this.lo, data.min);
      this.hi = Math.max(this.hi, data.max);
    }
  }

  toData(): HistogramData {
    let last = this.counts.length - 1;
    while (last >= 0 && this.counts[last] === 0) last--;
    return { counts: Array.from(this.counts.subarray(0, last + 1)), total: this.total, sum: this.sum, min: this.lo, max: this.hi };
  }

  static fromData(data: HistogramData): LogHistogram {
    const h = new LogHistogram();
    h.merge(data);
    return h;
  }
}
