import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { WORKER_ENTRY } from './launcher.js';
import type { Check, ConnectReply, DropReply, FromWorker, ToWorker, WorkerReport } from './fleet-protocol.js';
import { LogHistogram, summarize, type Summary } from './stats.js';

/** Absolute milliseconds, comparable with the workers' timestamps. */
export const absNow = (): number => performance.timeOrigin + performance.now();

interface Handle {
  readonly worker: Worker;
  readonly waiters: Array<{ resolve(m: FromWorker): void; reject(e: Error): void }>;
}

export interface FleetReport {
  readonly sockets: number;
  readonly latency: Summary;
  /** deliveries at sockets on the instance that took the submit / on another instance (several instances only) */
  readonly latencySameInstance: Summary;
  readonly latencyOtherInstance: Summary;
  readonly receipts: number;
  readonly unmatched: number;
  readonly messages: number;
  readonly parses: number;
  readonly unexpectedCloses: number;
  /** worst event-loop delay over the workers, ms */
  readonly clientLagP99Ms: number;
  readonly clientLagMaxMs: number;
  readonly check: Check;
}

export interface DropResult {
  /** from the first socket terminated to the last one back (first message received), ms */
  readonly allBackMs: number;
  readonly backMs: Summary;
  readonly failedAttempts: number;
  readonly gaveUp: number;
  readonly snapshotFallbacks: number;
  /** first-message bytes after the drop, summed over sockets: resumes and snapshot fallbacks */
  readonly resumeBytes: number;
  readonly snapshotBytes: number;
  readonly errors: readonly string[];
}

/**
 * The socket side of a scenario: `n` worker threads, each holding a share of
 * the scorestream sockets (see ws-worker.ts).
 */
export class Fleet {
  private constructor(private readonly handles: readonly Handle[]) {}

  static start(n: number): Fleet {
    // Workers run the compiled script (tsx's loader does not reach worker threads, and plain JS is lighter).
    const handles = Array.from({ length: n }, (): Handle => {
      const worker = new Worker(WORKER_ENTRY);
      const handle: Handle = { worker, waiters: [] };
      const failAll = (err: Error): void => {
        for (const w of handle.waiters.splice(0)) w.reject(err);
      };
      worker.on('message', (m: FromWorker) => {
        const w = handle.waiters.shift();
        if (!w) return;
        if (m.type === 'error') w.reject(new Error(`socket worker: ${m.message}`));
        else w.resolve(m);
      });
      worker.on('error', failAll);
      worker.on('exit', (code) => failAll(new Error(`socket worker exited (${code})`)));
      return handle;
    });
    return new Fleet(handles);
  }

  get size(): number {
    return this.handles.length;
  }

  private call<T extends FromWorker>(h: Handle, msg: ToWorker, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket worker did not answer "${msg.type}" within ${timeoutMs} ms`)), timeoutMs);
      h.waiters.push({
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      h.worker.postMessage(msg);
    });
  }

  private post(msg: ToWorker): void {
    for (const h of this.handles) h.worker.postMessage(msg);
  }

  /**
   * Opens one socket per URL, spread over the workers; resolves when every
   * first message arrived. `lanes[i]` names the ctfg instance urls[i] is on.
   */
  async connect(urls: readonly string[], concurrencyPerWorker: number, lanes: readonly number[] = []): Promise<ConnectReply & { ms: number }> {
    const start = performance.now();
    const n = this.handles.length;
    const shares = this.handles.map((_, i) => urls.filter((_u, j) => j % n === i));
    const laneShares = this.handles.map((_, i) => urls.map((_u, j) => lanes[j] ?? 0).filter((_l, j) => j % n === i));
    const replies = await Promise.all(
      this.handles.map((h, i) =>
        this.call<ConnectReply>(h, { type: 'connect', urls: shares[i] ?? [], lanes: laneShares[i] ?? [], concurrency: concurrencyPerWorker }, 180_000),
      ),
    );
    const known = replies.filter((r) => r.baselineMin >= 0);
    return {
      type: 'connected',
      opened: replies.reduce((n, r) => n + r.opened, 0),
      failed: replies.reduce((n, r) => n + r.failed, 0),
      errors: replies.flatMap((r) => r.errors).slice(0, 5),
      baselineMin: known.length ? Math.min(...known.map((r) => r.baselineMin)) : -1,
      baselineMax: known.length ? Math.max(...known.map((r) => r.baselineMax)) : -1,
      ms: performance.now() - start,
    };
  }

  /** Starts the measured window (clears latency, lag and counters). */
  mark(): void {
    this.post({ type: 'mark' });
  }

  /** Tells every worker a submit for `key` was written at `at` (absolute ms) to instance `lane`. */
  sent(key: string, at: number, lane = 0): void {
    this.post({ type: 'sent', key, at, lane });
  }

  async drop(deadlineMs: number): Promise<DropResult> {
    const replies = await Promise.all(this.handles.map((h) => this.call<DropReply>(h, { type: 'drop', deadlineMs }, deadlineMs + 30_000)));
    const dropAt = Math.min(...replies.map((r) => r.dropAt));
    const back = replies.flatMap((r) => r.backAt.map((t) => t - dropAt));
    const returned = back.filter((ms) => Number.isFinite(ms));
    return {
      allBackMs: returned.length === back.length && back.length > 0 ? Math.max(...back) : NaN,
      backMs: summarize(returned),
      failedAttempts: replies.reduce((n, r) => n + r.failedAttempts, 0),
      gaveUp: replies.reduce((n, r) => n + r.gaveUp, 0),
      snapshotFallbacks: replies.reduce((n, r) => n + r.snapshotFallbacks, 0),
      resumeBytes: replies.reduce((n, r) => n + r.resumeBytes, 0),
      snapshotBytes: replies.reduce((n, r) => n + r.snapshotBytes, 0),
      errors: replies.flatMap((r) => r.errors).slice(0, 5),
    };
  }

  async report(expectLast: number): Promise<FleetReport> {
    const replies = await Promise.all(this.handles.map((h) => this.call<WorkerReport>(h, { type: 'report', expectLast }, 120_000)));
    const latency = new LogHistogram();
    const same = new LogHistogram();
    const other = new LogHistogram();
    for (const r of replies) {
      latency.merge(r.latency);
      same.merge(r.latencySame);
      other.merge(r.latencyOther);
    }
    const sum = (f: (r: WorkerReport) => number): number => replies.reduce((n, r) => n + f(r), 0);
    return {
      sockets: sum((r) => r.sockets),
      latency: latency.summary(),
      latencySameInstance: same.summary(),
      latencyOtherInstance: other.summary(),
      receipts: sum((r) => r.receipts),
      unmatched: sum((r) => r.unmatched),
      messages: sum((r) => r.messages),
      parses: sum((r) => r.parses),
      unexpectedCloses: sum((r) => r.unexpectedCloses),
      clientLagP99Ms: Math.max(...replies.map((r) => r.lagP99Ms)),
      clientLagMaxMs: Math.max(...replies.map((r) => r.lagMaxMs)),
      check: {
        missing: sum((r) => r.check.missing),
        coveredBySnapshot: sum((r) => r.check.coveredBySnapshot),
        duplicates: sum((r) => r.check.duplicates),
        unexpected: sum((r) => r.check.unexpected),
        outOfOrder: sum((r) => r.check.outOfOrder),
        socketsWithProblems: sum((r) => r.check.socketsWithProblems),
      },
    };
  }

  /** Closes every socket and stops the workers (bounded). */
  async close(): Promise<void> {
    await Promise.all(
      this.handles.map(async (h) => {
        try {
          await this.call(h, { type: 'close' }, 10_000);
        } catch {
          // stopping anyway
        }
        await h.worker.terminate();
      }),
    );
  }
}
