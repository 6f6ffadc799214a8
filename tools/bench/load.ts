import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RawConnection, RawResponse } from './http-client.js';
import { Samples, type Summary } from './stats.js';

/** One request of a load run. */
export interface Job {
  readonly bytes: Buffer;
  /** null when the answer is what was expected, else a short error label */
  check?(res: RawResponse): string | null;
  /** runs after the answer (or the failure), e.g. to queue the player's next submit */
  after?(ok: boolean): void;
  /** performance.now() when the request was written */
  onWrite?(at: number): void;
  /** paced loop: which lane (group of connections, e.g. one ctfg instance) carries it; default 0 */
  readonly lane?: number;
  /** keep (and decode) answer bodies up to this size; 0 when only their length matters (see RequestOptions) */
  readonly keepBodyUpTo?: number;
}

export interface LoadResult {
  readonly ok: number;
  readonly errors: number;
  /** error label → count */
  readonly errorKinds: Record<string, number>;
  /** request write → response complete, ms */
  readonly latencies: Samples;
  /** first request written → last response complete, ms */
  readonly elapsedMs: number;
  /** CPU the bench process itself used meanwhile (all its threads), ms */
  readonly clientCpuMs: number;
}

class Tally {
  ok = 0;
  errors = 0;
  readonly errorKinds: Record<string, number> = {};
  readonly latencies = new Samples();

  fail(kind: string): void {
    this.errors++;
    this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
  }

  settle(job: Job, res: RawResponse | Error): boolean {
    if (res instanceof Error) {
      this.fail(res.message.slice(0, 80));
      return false;
    }
    this.latencies.add(res.doneAt - res.sentAt);
    const problem = job.check ? job.check(res) : res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    if (problem) this.fail(problem);
    else this.ok++;
    return problem === null;
  }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

async function attempt(conn: RawConnection, job: Job): Promise<RawResponse | Error> {
  try {
    return await conn.request(job.bytes, {
      ...(job.onWrite ? { onWrite: (at: number) => job.onWrite?.(at) } : {}),
      ...(job.keepBodyUpTo !== undefined ? { keepBodyUpTo: job.keepBodyUpTo } : {}),
    });
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Closed loop: every connection keeps exactly one request in flight, taking
 * the next job from `take` until it returns null or `maxMs` has passed.
 * In-flight count = number of connections.
 */
export async function closedLoop(conns: readonly RawConnection[], take: () => Job | null | Promise<Job | null>, maxMs: number): Promise<LoadResult> {
  const tally = new Tally();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const stopAt = start + maxMs;
  let last = start;
  await Promise.all(
    conns.map(async (conn) => {
      while (performance.now() < stopAt) {
        const job = await take();
        if (!job) return;
        const res = await attempt(conn, job);
        const ok = tally.settle(job, res);
        last = Math.max(last, performance.now());
        job.after?.(ok);
        // A connection that keeps failing must not spin.
        if (res instanceof Error) await sleep(50);
      }
    }),
  );
  return { ...tally, elapsedMs: last - start, clientCpuMs: cpuMs(cpu0) };
}

export interface PacedResult extends LoadResult {
  /** request written − its scheduled time, ms: how far behind schedule the sender fell (client-side lag or too few connections) */
  readonly lateness: Summary;
  readonly sent: number;
  /** the slowest answers: [ms after the run started when it was sent, latency ms] */
  readonly slowest: ReadonlyArray<readonly [number, number]>;
}

/** Keeps the `n` largest latencies with when they were sent, to tell a one-off stall from a steady tail. */
class Slowest {
  private readonly items: Array<[number, number]> = [];

  constructor(private readonly n: number) {}

  offer(at: number, latency: number): void {
    if (this.items.length === this.n && latency <= (this.items[this.n - 1] as [number, number])[1]) return;
    this.items.push([Math.round(at), Math.round(latency * 10) / 10]);
    this.items.sort((a, b) => b[1] - a[1]);
    if (this.items.length > this.n) this.items.pop();
  }

  list(): Array<[number, number]> {
    return [...this.items];
  }
}

/**
 * Open loop: sends `next()` at `ratePerSec` on the least busy connection of
 * its lane (`job.lane`, default 0: one lane per server when there are
 * several) without waiting for answers, until `next` returns null, `stop()`
 * is true or `maxMs` has passed; then waits (bounded) for the answers still out.
 */
export async function pacedLoop(
  lanes: ReadonlyArray<readonly RawConnection[]>,
  next: () => Job | null,
  ratePerSec: number,
  maxMs: number,
  stop: () => boolean = () => false,
): Promise<PacedResult> {
  const tally = new Tally();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const interval = 1000 / ratePerSec;
  const inFlight = new Set<Promise<void>>();
  const lateness = new Samples();
  const slowest = new Slowest(10);
  let sent = 0;
  let last = start;
  while (!stop()) {
    const due = start + sent * interval;
    if (due - start > maxMs) break;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (stop()) break;
    const planned = next();
    if (!planned) break;
    const job: Job = {
      ...planned,
      onWrite: (at) => {
        lateness.add(Math.max(0, at - due));
        planned.onWrite?.(at);
      },
    };
    const conns = lanes[planned.lane ?? 0];
    if (!conns || conns.length === 0) throw new Error(`no connections for lane ${String(planned.lane)}`);
    let conn = conns[0] as RawConnection;
    for (const c of conns) if (c.busy < conn.busy) conn = c;
    sent++;
    const p: Promise<void> = attempt(conn, job).then((res) => {
      const ok = tally.settle(job, res);
      if (!(res instanceof Error)) slowest.offer(res.sentAt - start, res.doneAt - res.sentAt);
      last = Math.max(last, performance.now());
      job.after?.(ok);
      inFlight.delete(p);
    });
    inFlight.add(p);
  }
  const drainBy = performance.now() + 30_000;
  while (inFlight.size > 0 && performance.now() < drainBy) await Promise.race([...inFlight, sleep(100)]);
  if (inFlight.size > 0) tally.fail(`${inFlight.size} requests unanswered after 30 s`);
  return { ...tally, elapsedMs: last - start, clientCpuMs: cpuMs(cpu0), lateness: lateness.summary(), sent, slowest: slowest.list() };
}

/** Several runs as one: counts and times add up, latencies pool. */
export function combine(runs: readonly LoadResult[]): LoadResult {
  const latencies = new Samples();
  const errorKinds: Record<string, number> = {};
  for (const r of runs) {
    latencies.addAll(r.latencies.values());
    for (const [k, n] of Object.entries(r.errorKinds)) errorKinds[k] = (errorKinds[k] ?? 0) + n;
  }
  const sum = (f: (r: LoadResult) => number): number => runs.reduce((n, r) => n + f(r), 0);
  return {
    ok: sum((r) => r.ok),
    errors: sum((r) => r.errors),
    errorKinds,
    latencies,
    elapsedMs: sum((r) => r.elapsedMs),
    clientCpuMs: sum((r) => r.clientCpuMs),
  };
}

/** Runs `fn` over `items` with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (i < items.length) {
        const index = i++;
        out[index] = await fn(items[index] as T, index);
      }
    }),
  );
  return out;
}
