import type pg from 'pg';
import type { SolveInput, SolveOutcome } from '../store.js';
import { INSERT_SOLVE, toEvent, type EventRow } from './rows.js';

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown): boolean => err instanceof Error && (err as { code?: string }).code === UNIQUE_VIOLATION;

/**
 * Many solves in one statement and one round trip, with INSERT_SOLVE's
 * guarantees: solves already in the table (or twice in the batch) are left
 * out before the counter row is bumped by the number that remain, so ids stay
 * gapless and in commit order, and the row lock still orders every writer.
 * A racing duplicate from another instance fails the whole statement on the
 * unique index (nothing is written); the batch is then retried one by one.
 */
export const INSERT_SOLVES = `
WITH input AS (
  SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::bigint[], $5::boolean[]) WITH ORDINALITY AS t(user_id, challenge_id, points, ts, reload, ord)
), fresh AS (
  SELECT DISTINCT ON (i.user_id, i.challenge_id) i.* FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = i.user_id AND e.challenge_id = i.challenge_id AND e.kind = 'score' AND NOT e.revoked)
  ORDER BY i.user_id, i.challenge_id, i.ord
), counted AS (
  SELECT count(*) AS n FROM fresh
), next AS (
  UPDATE meta SET value = (value::bigint + (SELECT n FROM counted))::text
  WHERE key = 'last_event_id' AND (SELECT n FROM counted) > 0
  RETURNING value::bigint - (SELECT n FROM counted) AS base
)
INSERT INTO events (id, user_id, challenge_id, kind, hint_id, points, ts, reload)
SELECT next.base + row_number() OVER (ORDER BY fresh.ord), fresh.user_id, fresh.challenge_id, 'score', NULL, fresh.points, fresh.ts, fresh.reload
FROM fresh, next
RETURNING *`;

interface Waiting {
  readonly input: SolveInput;
  resolve(outcome: SolveOutcome): void;
  reject(err: unknown): void;
}

/**
 * Group commit for solves: the first solve goes out at once; solves arriving
 * while `maxInFlight` statements are running wait and then go out together.
 * Each caller is answered only after the statement holding its solve has
 * committed (acknowledged = durable), so a quiet game pays no extra latency
 * and a storm pays one statement, one commit and one counter-row lock per
 * batch instead of per solve.
 */
export class SolveBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly maxInFlight = 1,
    private readonly maxBatch = 500,
  ) {}

  record(input: SolveInput): Promise<SolveOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: readonly Waiting[]): Promise<void> {
    try {
      const outcomes = batch.length === 1 ? [await this.one(batch[0]!.input)] : await this.many(batch.map((w) => w.input));
      batch.forEach((w, i) => w.resolve(outcomes[i] as SolveOutcome));
    } catch (err) {
      batch.forEach((w) => w.reject(err));
    }
  }

  /** One solve: INSERT_SOLVE, a duplicate answering already_solved. */
  private async one(s: SolveInput): Promise<SolveOutcome> {
    try {
      const r = await this.pool.query<EventRow>({ name: 'ctfg_insert_solve', text: INSERT_SOLVE, values: [s.userId, s.challengeId, s.points, s.ts, s.reload, null] });
      const row = r.rows[0];
      return row ? { kind: 'recorded', event: toEvent(row) } : { kind: 'already_solved' };
    } catch (err) {
      if (isUniqueViolation(err)) return { kind: 'already_solved' };
      throw err;
    }
  }

  /** The outcome of each input, in input order; a duplicate in the batch answers already_solved after its first. */
  private async many(inputs: readonly SolveInput[]): Promise<SolveOutcome[]> {
    let rows: EventRow[];
    try {
      const values = [inputs.map((s) => s.userId), inputs.map((s) => s.challengeId), inputs.map((s) => s.points), inputs.map((s) => s.ts), inputs.map((s) => s.reload)];
      rows = (await this.pool.query<EventRow>({ name: 'ctfg_insert_solves', text: INSERT_SOLVES, values })).rows;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Another instance recorded one of these meanwhile; nothing of the batch was written.
      const outcomes: SolveOutcome[] = [];
      for (const s of inputs) outcomes.push(await this.one(s));
      return outcomes;
    }
    const recorded = new Map(rows.map((row) => [`${row.user_id}:${row.challenge_id}`, row]));
    return inputs.map((s): SolveOutcome => {
      const key = `${s.userId}:${s.challengeId}`;
      const row = recorded.get(key);
      if (!row) return { kind: 'already_solved' };
      recorded.delete(key); // a second submit of the same solve in this batch
      return { kind: 'recorded', event: toEvent(row) };
    });
  }
}
