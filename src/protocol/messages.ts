/**
 * The scorestream wire protocol (SPEC §4), shared by the server and the web app.
 * Both sides import these types so the contract cannot drift.
 */

import type { EventResponse, SubmissionView } from './api.js';

export const EventType = { score: 'score', hint: 'hint' } as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** One live event: a solve (positive points) or a hint purchase (points ≤ 0). */
export interface LiveEvent {
  readonly id: number;
  readonly type: EventType;
  readonly displayname: string;
  /** milliseconds since the epoch */
  readonly ts: number;
  readonly challenge_id: number;
  /** challenge title */
  readonly challenge: string;
  readonly points: number;
  readonly hint_id?: number;
  /** "true" on judge awards: the player's browser should reload its challenge list */
  readonly reload?: 'true';
  /** on the score events of a challenge's first three solvers (SPEC §7); absent otherwise */
  readonly blood?: 1 | 2 | 3;
  /** the player's division (SPEC §9), so a row that first appears through an event knows it; absent when none */
  readonly division?: string;
  /** team mode (SPEC §9): the acting player's team; clients apply the event to the row named `team ?? displayname` */
  readonly team?: string;
}

/** An admin's score adjustment (SPEC §8): counts in the score and moves `last_ts` like a solve. */
export interface AdjustEvent {
  readonly id: number;
  readonly type: 'adjust';
  readonly displayname: string;
  /** integer ≠ 0, may be negative */
  readonly points: number;
  readonly reason: string;
  readonly ts: number;
  readonly division?: string;
  readonly team?: string;
}

/** An admin cancelled a solve (SPEC §8); a fresh snapshot follows it. */
export interface RevokeEvent {
  readonly id: number;
  readonly type: 'revoke';
  readonly displayname: string;
  readonly challenge_id: number;
  readonly reason: string;
  readonly ts: number;
}

/** Everything a scorestream event array may hold. */
export type StreamEvent = LiveEvent | AdjustEvent | RevokeEvent;

/** One board row (SPEC §3, §9): optional keys are left out when unset, keeping snapshots small. */
export interface StandingRow {
  readonly pos: number;
  readonly displayname: string;
  readonly score: number;
  readonly solves: number;
  readonly last_ts: number;
  /** the row's division (SPEC §9), absent when none */
  readonly division?: string;
  /** team mode (SPEC §9): the team (also the row's displayname) and its members' display names */
  readonly team?: string;
  readonly members?: readonly string[];
}

/** Score over time of one top-10 player: [ts, score] points, oldest first. */
export interface SeriesEntry {
  readonly displayname: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly last_id: number;
  readonly ts: number;
  readonly standings: readonly StandingRow[];
  readonly top: readonly SeriesEntry[];
}

/**
 * Rows whose score changed without an event of their own (dynamic scoring, SPEC §9): sent after
 * the events up to `last_id`; each row replaces the row of the same name, and the chart records
 * its new score at `ts`. `pos` is the overall position.
 */
export interface BoardMessage {
  readonly type: 'board';
  readonly last_id: number;
  readonly ts: number;
  readonly rows: readonly StandingRow[];
}

export interface ResetMessage {
  readonly type: 'system';
  readonly event: 'reset';
  readonly logout: true;
  readonly ts: number;
}

/** Sent when the clock state or `frozen` changes, and last in every resume answer. */
export interface ClockMessage extends EventResponse {
  readonly type: 'system';
  readonly event: 'clock';
}

/** Players' apps refetch challenges (a timed release, an admin reload). */
export interface ReloadMessage {
  readonly type: 'system';
  readonly event: 'reload';
  readonly ts: number;
}

export type SystemMessage = ResetMessage | ClockMessage | ReloadMessage;

export interface AnnouncementAdded {
  readonly type: 'announcement';
  readonly id: number;
  readonly ts: number;
  readonly text: string;
}

export interface AnnouncementDeleted {
  readonly type: 'announcement';
  readonly id: number;
  readonly deleted: true;
}

export type AnnouncementMessage = AnnouncementAdded | AnnouncementDeleted;

/** Admin sockets only: one judged submit on any instance (SPEC §8). */
export interface SubmissionMessage extends SubmissionView {
  readonly type: 'submission';
}

/** Every message the server sends: a snapshot, a system object, or an array of events. */
export type ServerMessage = SnapshotMessage | BoardMessage | SystemMessage | AnnouncementMessage | SubmissionMessage | readonly StreamEvent[];

/** The only text a client may send; it is ignored (proxy keep-alive). */
export const CLIENT_PING = 'ping';

export const SCORESTREAM_PATH = '/scorestream';

/** WebSocket close codes the server uses on the scorestream. */
export const CloseCode = {
  /** server stopping */
  goingAway: 1001,
  /** the client sent something large or unexpected */
  policy: 1008,
  /** admin reset: log in again */
  reset: 4000,
  /** this session logged out */
  loggedOut: 4001,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
