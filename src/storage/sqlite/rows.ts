/** Row shapes of the SQLite tables, and their records. */
import type { EventRecord, UserRecord } from '../store.js';

export interface EventRow {
  id: number;
  user_id: number;
  challenge_id: number;
  kind: EventRecord['kind'];
  hint_id: number | null;
  points: number;
  ts: number;
  reload: number;
  reason: string | null;
}

export interface UserRow {
  id: number;
  username: string;
  displayname: string | null;
  ban_reason: string | null;
  unranked: number;
  last_seen: number | null;
}

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayname: row.displayname,
    banReason: row.ban_reason,
    unranked: row.unranked === 1,
    lastSeen: row.last_seen,
  };
}

export interface SessionRow {
  id_hash: string;
  user_id: number;
  created_at: number;
  expires_at: number;
}

export function toEvent(row: EventRow): EventRecord {
  return {
    id: row.id,
    userId: row.user_id,
    challengeId: row.challenge_id,
    kind: row.kind,
    hintId: row.hint_id,
    points: row.points,
    ts: row.ts,
    reload: row.reload === 1,
    ...(row.reason !== null ? { reason: row.reason } : {}),
  };
}
