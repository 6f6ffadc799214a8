/** The PostgreSQL event writes that decide inside their transaction: ranked solves and hint purchases. */
import type pg from 'pg';
import type { HintInput, HintOutcome, SolveInput, SolveOutcome } from '../store.js';
import { SOLVED, toEvent, type EventRow } from './rows.js';

/** Carries a refusal out of a transaction so it rolls back. */
export class Refusal extends Error {
  constructor(readonly outcome: HintOutcome) {
    super(outcome.kind);
  }
}

/** Takes the next event id: locking the counter row serializes every write of the game. */
async function nextEventId(c: pg.PoolClient): Promise<string | undefined> {
  const next = await c.query<{ id: string }>("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'last_event_id' RETURNING value AS id");
  return next.rows[0]?.id;
}

/**
 * A solve whose points depend on its rank: the counter row lock orders the
 * writers, and under READ COMMITTED the count after it sees every earlier solve.
 * Throws Refusal when already solved (by the player, or their team).
 */
export async function rankedSolve(c: pg.PoolClient, input: SolveInput, bonus: readonly number[]): Promise<SolveOutcome> {
  const { userId, challengeId } = input;
  const team = input.team ?? null;
  const solvedArgs = [userId, challengeId, team];
  if ((await c.query(SOLVED, solvedArgs)).rowCount! > 0) throw new Refusal({ kind: 'locked' });
  const id = await nextEventId(c);
  if ((await c.query(SOLVED, solvedArgs)).rowCount! > 0) throw new Refusal({ kind: 'locked' });
  const n = await c.query<{ n: string }>("SELECT COUNT(*) AS n FROM events WHERE challenge_id = $1 AND kind = 'score' AND NOT revoked", [challengeId]);
  const points = input.points + (bonus[Number(n.rows[0]?.n ?? 0)] ?? 0);
  const row = await c.query<EventRow>(
    "INSERT INTO events (id, user_id, challenge_id, kind, hint_id, points, ts, reload, team) VALUES ($1, $2, $3, 'score', NULL, $4, $5, $6, $7) RETURNING *",
    [id, userId, challengeId, points, input.ts, input.reload, team],
  );
  return { kind: 'recorded', event: toEvent(row.rows[0] as EventRow) };
}

/**
 * A hint purchase, in order and never overspending: the counter row is locked
 * first, so the score read below cannot change before the insert commits.
 * In team mode the team buys: its hints, its score. Throws Refusal otherwise.
 */
export async function buyHint(c: pg.PoolClient, input: HintInput): Promise<HintOutcome> {
  const { userId, challengeId, hintId, cost } = input;
  const id = await nextEventId(c);
  const team = input.team ?? null;
  const has = async (h: number): Promise<boolean> =>
    (
      await c.query(
        "SELECT 1 FROM events WHERE challenge_id = $2 AND kind = 'hint' AND hint_id = $3 AND (CASE WHEN $4::text IS NULL THEN user_id = $1 ELSE team = $4::text END)",
        [userId, challengeId, h, team],
      )
    ).rowCount! > 0;
  let outcome: HintOutcome | null = null;
  if (await has(hintId)) outcome = { kind: 'already_purchased' };
  else if (input.previousHintId !== null && !(await has(input.previousHintId))) outcome = { kind: 'locked' };
  else if (cost > 0) {
    const score = await c.query<{ score: string }>(
      'SELECT COALESCE(SUM(points), 0) AS score FROM events WHERE NOT revoked AND (CASE WHEN $2::text IS NULL THEN user_id = $1 ELSE team = $2::text END)',
      [userId, team],
    );
    if (Number(score.rows[0]?.score ?? 0) + (input.credit ?? 0) < cost) outcome = { kind: 'insufficient_points' };
  }
  if (outcome) throw new Refusal(outcome);
  const row = await c.query<EventRow>(
    "INSERT INTO events (id, user_id, challenge_id, kind, hint_id, points, ts, reload, team) VALUES ($1, $2, $3, 'hint', $4, $5, $6, false, $7) RETURNING *",
    [id, userId, challengeId, hintId, -cost, input.ts, team],
  );
  return { kind: 'recorded', event: toEvent(row.rows[0] as EventRow) };
}
