/**
 * Narrowing of scorestream messages. The server is trusted, but a proxy error page or a future
 * message kind must not crash the app, so anything unrecognised becomes `null`.
 */
import type { EventResponse } from '../../../src/protocol/api.js';
import type { AdjustEvent, AnnouncementMessage, BoardMessage, LiveEvent, ResetMessage, SnapshotMessage, StandingRow } from '../../../src/protocol/messages.js';
import { parseAnnouncement } from '../event/announcements.js';
import { parseEventBody } from '../event/clock.js';

/**
 * The events the app folds into its standings: solves, hints and admin adjustments.
 * A `revoke` is dropped here: the server follows it with a fresh snapshot.
 */
export type PlayEvent = LiveEvent | AdjustEvent;

/** Solves and hints: what the challenge list, the feed and the ticker show. */
export function isLiveEvent(e: PlayEvent): e is LiveEvent {
  return e.type === 'score' || e.type === 'hint';
}

export type ParsedMessage =
  | { readonly kind: 'snapshot'; readonly snapshot: SnapshotMessage }
  | { readonly kind: 'events'; readonly events: readonly PlayEvent[] }
  | { readonly kind: 'board'; readonly board: BoardMessage }
  | { readonly kind: 'reset'; readonly reset: ResetMessage }
  | { readonly kind: 'clock'; readonly clock: EventResponse }
  | { readonly kind: 'reload' }
  | { readonly kind: 'announcement'; readonly announcement: AnnouncementMessage };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEvent(v: unknown): v is PlayEvent {
  return (
    isRecord(v) &&
    typeof v.id === 'number' &&
    (v.type === 'score' || v.type === 'hint' || v.type === 'adjust') &&
    typeof v.displayname === 'string' &&
    typeof v.ts === 'number' &&
    typeof v.points === 'number'
  );
}

function isRow(v: unknown): v is StandingRow {
  return isRecord(v) && typeof v.displayname === 'string' && typeof v.score === 'number' && typeof v.solves === 'number' && typeof v.last_ts === 'number';
}

/** Rows repriced by dynamic scoring (SPEC §9); malformed rows are dropped. */
function parseBoard(data: Record<string, unknown>): ParsedMessage | null {
  if (typeof data.last_id !== 'number' || typeof data.ts !== 'number' || !Array.isArray(data.rows)) return null;
  return { kind: 'board', board: { type: 'board', last_id: data.last_id, ts: data.ts, rows: data.rows.filter(isRow) } };
}

function parseSystem(data: Record<string, unknown>): ParsedMessage | null {
  if (data.event === 'reset') return { kind: 'reset', reset: data as unknown as ResetMessage };
  if (data.event === 'reload') return { kind: 'reload' };
  if (data.event === 'clock') {
    const clock = parseEventBody(data);
    return clock === null ? null : { kind: 'clock', clock };
  }
  return null;
}

export function parseServerMessage(text: string): ParsedMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (Array.isArray(data)) {
    return { kind: 'events', events: data.filter(isEvent) };
  }
  if (!isRecord(data)) return null;
  if (data.type === 'snapshot' && typeof data.last_id === 'number' && Array.isArray(data.standings)) {
    const top = Array.isArray(data.top) ? data.top : [];
    return { kind: 'snapshot', snapshot: { ...(data as unknown as SnapshotMessage), top } };
  }
  if (data.type === 'system') return parseSystem(data);
  if (data.type === 'board') return parseBoard(data);
  if (data.type === 'announcement') {
    const announcement = parseAnnouncement(data);
    return announcement === null ? null : { kind: 'announcement', announcement };
  }
  return null;
}
