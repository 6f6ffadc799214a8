import { histogram, round, summarize, type HistogramBin, type Percentiles } from './stats.js';

/** One finished HTTP request (or WebSocket handshake) as the recorder sees it. */
export interface RequestSample {
  /** endpoint label, e.g. `POST /api/submit`, `GET /assets/*` */
  readonly label: string;
  /** HTTP status; 0 when no response arrived (network error, timeout) */
  readonly status: number;
  readonly ms: number;
  readonly bytes: number;
  /** false when the status was not one the script expects */
  readonly ok: boolean;
  /** set for static assets: the concrete path, for the per-asset breakdown */
  readonly assetPath?: string;
}

export interface ErrorRecord {
  /** ms since the run started */
  readonly atMs: number;
  readonly player: string;
  /** where it happened: an endpoint label, `scorestream`, `player` */
  readonly where: string;
  readonly message: string;
}

interface EndpointAcc {
  readonly latencies: number[];
  readonly statuses: Map<number, number>;
  errors: number;
}

interface AssetAcc {
  count: number;
  bytes: number;
  readonly latencies: number[];
}

/** Live counters the progress line and the final report both read. */
export interface Counters {
  playersStarted: number;
  loggedIn: number;
  playersDone: number;
  playersFailed: number;
  solves: number;
  confirmed: number;
  hintsBought: number;
  hintsUnaffordable: number;
  rateLimited: number;
}

export interface EndpointStats extends Percentiles {
  readonly label: string;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errors: number;
}

export interface AssetStats {
  readonly path: string;
  readonly count: number;
  readonly bytes: number;
  readonly latency: Percentiles;
}

export interface RecorderSnapshot {
  readonly counters: Counters;
  readonly requests: number;
  readonly errors: number;
  readonly endpoints: readonly EndpointStats[];
  readonly assets: readonly AssetStats[];
  readonly timeline: ReadonlyArray<{ readonly second: number; readonly requests: number; readonly errors: number }>;
  readonly wsConnect: Percentiles;
  readonly wsConnectHistogram: readonly HistogramBin[];
  readonly delivery: Percentiles;
  readonly deliveryHistogram: readonly HistogramBin[];
  readonly errorSamples: readonly ErrorRecord[];
  readonly errorsByMessage: ReadonlyArray<{ readonly message: string; readonly count: number }>;
}

/** Keeps the report readable and memory bounded when a server falls over and every request fails. */
const MAX_ERROR_SAMPLES = 500;

/**
 * Collects every measurement of a run. Raw latency samples are kept (a 200-player
 * run makes ~10,000 requests), so percentiles are exact rather than bucketed.
 * Times are taken from one monotonic clock owned by the recorder.
 */
export class Recorder {
  readonly counters: Counters = {
    playersStarted: 0,
    loggedIn: 0,
    playersDone: 0,
    playersFailed: 0,
    solves: 0,
    confirmed: 0,
    hintsBought: 0,
    hintsUnaffordable: 0,
    rateLimited: 0,
  };
  private readonly endpoints = new Map<string, EndpointAcc>();
  private readonly assets = new Map<string, AssetAcc>();
  private readonly timelineRequests: number[] = [];
  private readonly timelineErrors: number[] = [];
  private readonly wsConnectMs: number[] = [];
  private readonly deliveryMs: number[] = [];
  private readonly errorSamples: ErrorRecord[] = [];
  private readonly errorCounts = new Map<string, number>();
  private requestCount = 0;
  private errorCount = 0;
  private readonly t0: number;

  constructor(private readonly clock: () => number = () => performance.now()) {
    this.t0 = clock();
  }

  /** Monotonic ms; use it for every timestamp that is compared with another. */
  now(): number {
    return this.clock();
  }

  elapsedMs(): number {
    return this.clock() - this.t0;
  }

  recordRequest(sample: RequestSample): void {
    this.requestCount += 1;
    const second = this.second();
    bump(this.timelineRequests, second);
    let acc = this.endpoints.get(sample.label);
    if (!acc) this.endpoints.set(sample.label, (acc = { latencies: [], statuses: new Map(), errors: 0 }));
    acc.latencies.push(sample.ms);
    acc.statuses.set(sample.status, (acc.statuses.get(sample.status) ?? 0) + 1);
    if (!sample.ok) acc.errors += 1;
    if (sample.assetPath !== undefined) {
      let asset = this.assets.get(sample.assetPath);
      if (!asset) this.assets.set(sample.assetPath, (asset = { count: 0, bytes: 0, latencies: [] }));
      asset.count += 1;
      asset.bytes += sample.bytes;
      asset.latencies.push(sample.ms);
    }
  }

  recordError(player: string, where: string, message: string): void {
    this.errorCount += 1;
    bump(this.timelineErrors, this.second());
    // Messages name their step but never the player (a separate field), so one cause groups into one line, not 200 copies.
    this.errorCounts.set(message, (this.errorCounts.get(message) ?? 0) + 1);
    if (this.errorSamples.length < MAX_ERROR_SAMPLES) {
      this.errorSamples.push({ atMs: round(this.elapsedMs()), player, where, message });
    }
  }

  recordWsConnect(ms: number): void {
    this.wsConnectMs.push(ms);
  }

  recordDelivery(ms: number): void {
    this.deliveryMs.push(ms);
  }

  get requests(): number {
    return this.requestCount;
  }

  get errors(): number {
    return this.errorCount;
  }

  /** Requests completed during the last full second: the "current rate" of the progress line. */
  currentRate(): number {
    const s = this.second();
    return this.timelineRequests[s - 1] ?? 0;
  }

  snapshot(): RecorderSnapshot {
    const seconds = Math.max(this.timelineRequests.length, this.timelineErrors.length);
    const timeline = Array.from({ length: seconds }, (_, second) => ({
      second,
      requests: this.timelineRequests[second] ?? 0,
      errors: this.timelineErrors[second] ?? 0,
    }));
    const endpoints = [...this.endpoints.entries()]
      .map(([label, acc]) => ({
        label,
        ...roundAll(summarize(acc.latencies)),
        statuses: Object.fromEntries([...acc.statuses.entries()].map(([k, v]) => [String(k), v])),
        errors: acc.errors,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
    const assets = [...this.assets.entries()]
      .map(([path, acc]) => ({ path, count: acc.count, bytes: acc.bytes, latency: roundAll(summarize(acc.latencies)) }))
      .sort((a, b) => b.bytes - a.bytes);
    return {
      counters: { ...this.counters },
      requests: this.requestCount,
      errors: this.errorCount,
      endpoints,
      assets,
      timeline,
      wsConnect: roundAll(summarize(this.wsConnectMs)),
      wsConnectHistogram: histogram(this.wsConnectMs),
      delivery: roundAll(summarize(this.deliveryMs)),
      deliveryHistogram: histogram(this.deliveryMs),
      errorSamples: [...this.errorSamples],
      errorsByMessage: [...this.errorCounts.entries()]
        .map(([message, count]) => ({ message, count }))
        .sort((a, b) => b.count - a.count),
    };
  }

  private second(): number {
    return Math.max(0, Math.floor(this.elapsedMs() / 1000));
  }
}

function bump(series: number[], index: number): void {
  // Fill gaps with zeros so the timeline has no holes (a quiet second is data too).
  while (series.length <= index) series.push(0);
  series[index] = (series[index] ?? 0) + 1;
}

/** Rounded for the report; with no samples every figure reads 0 (the JSON has no NaN). */
function roundAll(p: Percentiles): Percentiles {
  if (p.count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };
  return {
    count: p.count,
    min: round(p.min),
    mean: round(p.mean),
    p50: round(p.p50),
    p90: round(p.p90),
    p95: round(p.p95),
    p99: round(p.p99),
    max: round(p.max),
  };
}
