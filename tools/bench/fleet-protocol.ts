/**
 * Messages between the bench's main thread and its socket workers
 * (ws-worker.ts). Times are absolute milliseconds
 * (performance.timeOrigin + performance.now()), comparable across threads.
 */
import type { HistogramData } from './stats.js';

export type ToWorker =
  /** `lanes[i]`: the ctfg instance urls[i] points at (for same/other-instance latency); all 0 when absent */
  | { readonly type: 'connect'; readonly urls: readonly string[]; readonly lanes?: readonly number[]; readonly concurrency: number }
  /** start of the measured window: clears latency, lag and counters */
  | { readonly type: 'mark' }
  /** a submit for `key` (displayname|challenge_id) was written at `at` to instance `lane` */
  | { readonly type: 'sent'; readonly key: string; readonly at: number; readonly lane: number }
  /** terminate every socket at once and reconnect each with &since=<last id it saw> */
  | { readonly type: 'drop'; readonly deadlineMs: number }
  /** the event ids every socket should have seen exactly once end at `expectLast` */
  | { readonly type: 'report'; readonly expectLast: number }
  | { readonly type: 'close' };

export interface ConnectReply {
  readonly type: 'connected';
  readonly opened: number;
  readonly failed: number;
  readonly errors: readonly string[];
  /** smallest and largest last_id of the first snapshots */
  readonly baselineMin: number;
  readonly baselineMax: number;
}

export interface DropReply {
  readonly type: 'dropped';
  /** when this worker started terminating its sockets */
  readonly dropAt: number;
  /** when each socket had its first message on the new connection (NaN: never) */
  readonly backAt: readonly number[];
  /** failed reconnect attempts (each retried until the deadline) */
  readonly failedAttempts: number;
  /** sockets that gave up at the deadline */
  readonly gaveUp: number;
  /** resumes answered with a fresh snapshot instead of the missed events */
  readonly snapshotFallbacks: number;
  /** first-message bytes of the new connections: resumes with the missed events, and snapshots */
  readonly resumeBytes: number;
  readonly snapshotBytes: number;
  readonly errors: readonly string[];
}

export interface Check {
  /** (socket, event) pairs never received */
  readonly missing: number;
  /** …of which the socket got a snapshot covering them instead (resume fallback) */
  readonly coveredBySnapshot: number;
  /** extra copies received */
  readonly duplicates: number;
  /** events beyond expectLast, or at/below the socket's first snapshot */
  readonly unexpected: number;
  /** events received after a higher id on the same socket */
  readonly outOfOrder: number;
  readonly socketsWithProblems: number;
}

export interface WorkerReport {
  readonly type: 'report';
  readonly sockets: number;
  /** send → delivery latency of live events, ms */
  readonly latency: HistogramData;
  /** …of those at sockets on the instance that took the submit, and on another instance (through Redis) */
  readonly latencySame: HistogramData;
  readonly latencyOther: HistogramData;
  readonly receipts: number;
  /** receipts whose key no submit announced */
  readonly unmatched: number;
  /** messages received / parsed (parses are cached across sockets) */
  readonly messages: number;
  readonly parses: number;
  /** sockets the server closed on us during the run */
  readonly unexpectedCloses: number;
  /** event-loop delay of this worker, ms */
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  readonly check: Check;
}

export type FromWorker = ConnectReply | DropReply | WorkerReport | { readonly type: 'closed' } | { readonly type: 'error'; readonly message: string };
