import { SUBMISSION_FLAG_MAX_CHARS } from '../protocol/api.js';
import type { Store, SubmissionInput, SubmissionRecord } from '../storage/store.js';

export interface SubmissionLogOptions {
  /** how long a judged submit may wait in memory before its batch is written */
  readonly flushMs: number;
  /** most rows per transaction; a full batch is written at once */
  readonly maxBatch: number;
  /** rows held while the database is slow or failing; beyond this, new rows are dropped (and counted) */
  readonly maxQueue: number;
  /** pause after a failed write */
  readonly retryMs: number;
  /** tries per batch before it is given up (a batch the database keeps refusing must not block the rest) */
  readonly maxTries: number;
}

export const DEFAULT_SUBMISSION_LOG: SubmissionLogOptions = { flushMs: 5, maxBatch: 500, maxQueue: 50_000, retryMs: 1000, maxTries: 3 };

export interface SubmissionLogDeps {
  readonly store: Pick<Store, 'addSubmissions'>;
  /** the rows just written, with their ids (the live tail) */
  readonly onWritten: (rows: SubmissionRecord[]) => void;
  /** a write failed; `rows` were kept for another try (`givenUp` false) or dropped */
  readonly onError: (err: unknown, rows: number, givenUp: boolean) => void;
  /** rows dropped because the queue was full, since the last report */
  readonly onDropped?: (rows: number) => void;
}

/**
 * The flag text as stored: at most SUBMISSION_FLAG_MAX_CHARS code points, and
 * NUL shown as ␀ (PostgreSQL text cannot hold NUL; both backends store the same).
 */
export function storedFlag(flag: string): string {
  const clipped = flag.length <= SUBMISSION_FLAG_MAX_CHARS ? flag : Array.from(flag.slice(0, SUBMISSION_FLAG_MAX_CHARS * 2)).slice(0, SUBMISSION_FLAG_MAX_CHARS).join('');
  return clipped.includes('\0') ? clipped.replaceAll('\0', '\u2400') : clipped;
}

interface Batch {
  readonly rows: SubmissionInput[];
  tries: number;
}

/**
 * The submissions log's writer, off the request path: a judged submit is
 * queued in memory and written with its neighbours in one transaction a few
 * milliseconds later. A crash loses at most the queued tail; solves never
 * depend on it (they are committed in the events table before the answer).
 */
export class SubmissionLog {
  private readonly options: SubmissionLogOptions;
  private queue: SubmissionInput[] = [];
  private retry: Batch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private dropped = 0;

  constructor(
    private readonly deps: SubmissionLogDeps,
    options: Partial<SubmissionLogOptions> = {},
  ) {
    this.options = { ...DEFAULT_SUBMISSION_LOG, ...options };
  }

  /** Rows waiting in memory. */
  get pending(): number {
    return this.queue.length + (this.retry?.rows.length ?? 0);
  }

  record(row: SubmissionInput): void {
    if (this.pending >= this.options.maxQueue) {
      this.dropped++;
      return;
    }
    this.queue.push({ ...row, flag: storedFlag(row.flag) });
    this.schedule(this.queue.length >= this.options.maxBatch ? 0 : this.options.flushMs);
  }

  /** Writes everything queued so far (shutdown, tests); failed rows get their remaining tries at once. */
  async flush(): Promise<void> {
    this.clearTimer();
    for (;;) {
      if (this.writing) await this.writing;
      else if (this.pending > 0) await this.writeNext();
      else return;
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(wait: number): void {
    if (this.writing || this.pending === 0) return;
    if (this.timer && wait > 0) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.writeNext();
    }, wait);
  }

  private writeNext(): Promise<void> {
    this.clearTimer();
    if (this.writing) return this.writing;
    const batch = this.retry ?? { rows: this.queue.splice(0, this.options.maxBatch), tries: 0 };
    this.retry = null;
    this.reportDropped();
    const written = this.deps.store.addSubmissions(batch.rows);
    this.writing = written.then(
      (rows) => {
        this.writing = null;
        try {
          this.deps.onWritten(rows);
        } catch (err) {
          // The rows are stored; only their live copies are lost.
          this.deps.onError(err, 0, true);
        }
        this.schedule(this.queue.length >= this.options.maxBatch ? 0 : this.options.flushMs);
      },
      (err: unknown) => {
        this.writing = null;
        batch.tries++;
        const givenUp = batch.tries >= this.options.maxTries;
        if (!givenUp) this.retry = batch;
        this.deps.onError(err, batch.rows.length, givenUp);
        this.schedule(this.options.retryMs);
      },
    );
    return this.writing;
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.deps.onDropped?.(this.dropped);
    this.dropped = 0;
  }
}
