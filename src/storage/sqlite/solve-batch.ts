import type BetterSqlite3 from 'better-sqlite3';
import type { SolveInput, SolveOutcome } from '../store.js';

interface Waiting {
  readonly input: SolveInput;
  resolve(outcome: SolveOutcome): void;
  reject(err: unknown): void;
}

/**
 * Group commit for solves on SQLite: the solves of one turn of the event loop
 * are written in one transaction right after it (setImmediate), and each
 * caller is answered only after that commit (acknowledged = durable).
 *
 * Why: a solve dirties about five pages (its row and three indexes), each goes
 * to the WAL whole, and the checkpoint fsyncs all of it on the request thread.
 * A storm's batch shares its tail pages, so it writes fewer WAL pages per
 * solve. It also keeps the WAL bounded: SQLite only checkpoints after a
 * statement that runs to its end, which an INSERT … RETURNING read with get()
 * never does, but the batch's COMMIT does.
 */
export class SqliteSolveBatch {
  private queue: Waiting[] = [];

  constructor(
    private readonly db: BetterSqlite3.Database,
    /** one solve, inside the batch's transaction */
    private readonly one: (input: SolveInput) => SolveOutcome,
  ) {}

  record(input: SolveInput): Promise<SolveOutcome> {
    return new Promise((resolve, reject) => {
      if (this.queue.push({ input, resolve, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  /** Writes what waits now; a failure (a full disk) fails the whole batch, and nothing of it is written. */
  flush(): void {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let outcomes: SolveOutcome[];
    try {
      outcomes = this.db.transaction(() => batch.map((w) => this.one(w.input)))();
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => w.resolve(outcomes[i] as SolveOutcome));
  }
}
