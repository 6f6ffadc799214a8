/** Row shapes of the PostgreSQL tables, their records, and the statements that assign event ids. */
import type { EventRecord, UserRecord } from '../store.js';

export interface EventRow {
  id: string;
  user_id: number;
  challenge_id: number;
  kind: EventRecord['kind'];
  hint_id: number | null;
  points: number;
  ts: string;
  reload: boolean;
  reason: string | null;
}

export interface UserRow {
  id: number;
  username: string;
  displayname: string | null;
  ban_reason: string | null;
  unranked: boolean;
  last_seen: string | null;
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayname: row.displayname,
    banReason: row.ban_reason,
    unranked: row.unranked,
    lastSeen: row.last_seen === null ? null : Number(row.last_seen),
  };
}

export function toEvent(row: EventRow): EventRecord {
  return {
    id: Number(row.id),
    userId: row.user_id,
    challengeId: row.challenge_id,
    kind: row.kind,
    hintId: row.hint_id,
    points: row.points,
    ts: Number(row.ts),
    reload: row.reload,
    ...(row.reason !== null ? { reason: row.reason } : {}),
  };
}

/** The player ($1) — or, in team mode, their team (parameter `team`) — already holds a standing solve of challenge $2. */
const solvedBy = (team: string): string =>
  `SELECT 1 FROM events WHERE challenge_id = $2 AND kind = 'score' AND NOT revoked AND (user_id = $1 OR (${team}::text IS NOT NULL AND team = ${team}::text))`;

/** [user id, challenge id, team or null] */
export const SOLVED = solvedBy('$3');

/**
 * Solve in one statement: the counter row is bumped only when no solve
 * exists yet, and the row lock on it orders concurrent writers, so ids are
 * gapless and assigned in commit order. A racing duplicate fails on the
 * unique index, which rolls its counter bump back with it.
 */
export const INSERT_SOLVE = `
WITH fresh AS (
  SELECT NOT EXISTS (${solvedBy('$6')}) AS ok
), next AS (
  UPDATE meta SET value = (value::bigint + 1)::text
  WHERE key = 'last_event_id' AND (SELECT ok FROM fresh)
  RETURNING value::bigint AS id
)
INSERT INTO events (id, user_id, challenge_id, kind, hint_id, points, ts, reload, team)
SELECT next.id, $1, $2, 'score', NULL, $3, $4, $5, $6::text FROM next
RETURNING *`;

/** The next id and the adjustment in one statement, like INSERT_SOLVE. */
export const INSERT_ADJUST = `
WITH next AS (
  UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'last_event_id' RETURNING value::bigint AS id
)
INSERT INTO events (id, user_id, challenge_id, kind, hint_id, points, ts, reload, reason, team)
SELECT next.id, $1, 0, 'adjust', NULL, $2, $3, false, $4, $5::text FROM next
RETURNING *`;
