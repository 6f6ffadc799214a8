/**
 * The durable record of a game.
 * Event ids are gapless and assigned in commit order, so every instance can
 * apply events strictly in order and tell when it missed one. Every method is async so a networked database
 * (PostgreSQL) can implement the same contract as the embedded SQLite store.
 * Implementations enforce the invariants themselves (one solve per player and
 * challenge, hints bought in order and only when affordable) so that they hold
 * even when several server instances share one database.
 */
import type { NameRekeyReport } from './name-rekey.js';

export type { NameRekeyReport };

/** adjust and revoke are admin actions (SPEC §8) */
export type EventKind = 'score' | 'hint' | 'adjust' | 'revoke';

export interface UserRecord {
  readonly id: number;
  readonly username: string;
  readonly displayname: string | null;
  /** the ban's reason; null (or absent) when not banned */
  readonly banReason?: string | null;
  /** left out of boards, feeds and ranks (SPEC §8) */
  readonly unranked?: boolean;
  /** ms since the epoch of the last login; null when never */
  readonly lastSeen?: number | null;
}

export interface EventRecord {
  readonly id: number;
  readonly userId: number;
  /** 0 for adjustments */
  readonly challengeId: number;
  readonly kind: EventKind;
  /** null for everything but hints */
  readonly hintId: number | null;
  /** solves: the worth when recorded (the state reads the current value from the game); ≤ 0 for hints; ≠ 0 for adjustments; 0 for revokes */
  readonly points: number;
  readonly ts: number;
  /** true for judge awards */
  readonly reload: boolean;
  /** the admin's reason, on adjust and revoke events */
  readonly reason?: string | null;
}

export interface AdjustInput {
  readonly userId: number;
  readonly points: number;
  readonly reason: string;
  readonly ts: number;
  /** team mode: an adjustment of a member counts for the team (SPEC §9) */
  readonly team?: string | null;
}

export interface RevokeInput {
  readonly userId: number;
  readonly challengeId: number;
  readonly reason: string;
  readonly ts: number;
}

export interface SolveInput {
  readonly userId: number;
  readonly challengeId: number;
  readonly points: number;
  readonly ts: number;
  readonly reload: boolean;
  /** team mode (SPEC §9): the solver's team; a challenge is then solved once per team */
  readonly team?: string | null;
  /**
   * First-blood bonus for the 1st, 2nd, 3rd solver: the store adds the one
   * matching the solve's rank, counted atomically with the insert.
   */
  readonly bonus?: readonly number[];
}

export interface HintInput {
  readonly userId: number;
  readonly challengeId: number;
  readonly hintId: number;
  readonly cost: number;
  readonly ts: number;
  /** the hint that must already be bought (array order), or null for the first */
  readonly previousHintId: number | null;
  /**
   * Added to the sum of the player's recorded points to get the score the check
   * uses: solve values move after they are recorded (dynamic scoring, a reload).
   * Default 0.
   */
  readonly credit?: number;
  /** team mode (SPEC §9): hints are bought for the team and paid from its score */
  readonly team?: string | null;
}

export type SolveOutcome = { readonly kind: 'recorded'; readonly event: EventRecord } | { readonly kind: 'already_solved' };

export type HintOutcome =
  | { readonly kind: 'recorded'; readonly event: EventRecord }
  | { readonly kind: 'already_purchased' }
  | { readonly kind: 'insufficient_points' }
  | { readonly kind: 'locked' };

export interface SessionRecord {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions */
  readonly idHash: string;
  readonly userId: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface ResetCounts {
  readonly events: number;
  readonly names: number;
  readonly sessions: number;
  readonly announcements: number;
}

/** The last admin reset: how many there were, and the newest event id it wiped. */
export interface ResetMark {
  readonly count: number;
  readonly afterId: number;
}

export interface ResetOutcome extends ResetCounts {
  readonly mark: ResetMark;
}

/** Everything needed to rebuild in-memory state, read as one consistent picture. */
export interface StoredGame {
  /** every event in id order */
  readonly events: EventRecord[];
  /** the newest event id ever assigned (≥ the last event's id; higher after a reset) */
  readonly lastId: number;
  readonly reset: ResetMark;
}

export interface AnnouncementRecord {
  readonly id: number;
  readonly ts: number;
  readonly text: string;
}

export interface AdminSessionRecord {
  readonly idHash: string;
  /** who is acting, for the audit log */
  readonly name: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface AuditInput {
  readonly ts: number;
  readonly admin: string;
  readonly address: string;
  readonly action: string;
  readonly detail: string;
}

export interface AuditRecord extends AuditInput {
  readonly id: number;
}

/** One judged submit for the submissions log (SPEC §8); the flag is already cut to its maximum length. */
export interface SubmissionInput {
  readonly ts: number;
  readonly userId: number;
  /** the login name of `userId` (read back through users; carried into the record) */
  readonly username: string;
  /** the name shown at the time of the submit */
  readonly displayname: string;
  readonly challengeId: number;
  readonly result: 'correct' | 'incorrect';
  readonly flag: string;
  readonly address: string;
}

export interface SubmissionRecord extends SubmissionInput {
  readonly id: number;
}

/** A page of the submissions log, newest first; every field narrows it. */
export interface SubmissionQuery {
  readonly userId?: number;
  readonly challengeId?: number;
  readonly result?: 'correct' | 'incorrect';
  /** only ids below this one (paging back) */
  readonly beforeId?: number;
  readonly limit: number;
}

export interface SubmissionStats {
  /** every judged submit with a wrong flag */
  readonly wrong: number;
  /** [minute start in ms, judged submits] for each minute since `sinceTs` that had any, oldest first */
  readonly perMinute: Array<[number, number]>;
}

export interface Store {
  /** Adds users that are new in credentials.csv and returns every known user. */
  syncUsers(usernames: readonly string[]): Promise<UserRecord[]>;
  /** Events, last id and reset mark, for rebuilding in-memory state at start. */
  load(): Promise<StoredGame>;
  /** Events with id > afterId in id order, with the current reset mark (catch-up for other instances). */
  eventsAfter(afterId: number): Promise<{ events: EventRecord[]; reset: ResetMark }>;
  /**
   * A random secret shared by every instance on this store (created on first
   * use); signs scorestream tokens.
   */
  sharedSecret(name: string): Promise<string>;
  /**
   * Recomputes every stored display-name key with `keyOf`, atomically. On a
   * collision under the new key one player keeps the name and the others lose
   * it, each loss audited (rules in name-rekey.ts). Run at start, before
   * `syncUsers`, so the state is built from the result.
   */
  rekeyDisplayNames(keyOf: (name: string) => string, ts: number): Promise<NameRekeyReport>;
  /** Sets a display name; `key` is the case-insensitive uniqueness key. */
  setDisplayName(userId: number, name: string, key: string): Promise<'ok' | 'taken'>;
  recordSolve(input: SolveInput): Promise<SolveOutcome>;
  purchaseHint(input: HintInput): Promise<HintOutcome>;
  createSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;
  /** Ends the sessions of every player not in `usernames` (removed from credentials.csv); answers how many. */
  deleteSessionsExcept(usernames: readonly string[]): Promise<number>;
  /** Keeps a player's `keep` newest sessions and deletes the older ones; answers the deleted id hashes. */
  trimSessions(userId: number, keep: number): Promise<string[]>;
  /**
   * Deletes all events, sessions and announcements, clears display names and
   * the reveal, atomically, and records the reset mark. Event ids keep
   * increasing afterwards. The schedule, admin sessions and audit log stay.
   */
  reset(): Promise<ResetOutcome>;
  /** A small shared setting (the event schedule, the reveal mark), or null. */
  readSetting(key: string): Promise<string | null>;
  /** Sets a setting; null deletes it. */
  writeSetting(key: string, value: string | null): Promise<void>;
  /** Stores an announcement; with `key`, at most once per key (null when it already exists). */
  addAnnouncement(text: string, ts: number, key?: string): Promise<AnnouncementRecord | null>;
  deleteAnnouncement(id: number): Promise<boolean>;
  /** Newest first. */
  listAnnouncements(): Promise<AnnouncementRecord[]>;
  createAdminSession(session: AdminSessionRecord): Promise<void>;
  getAdminSession(idHash: string): Promise<AdminSessionRecord | null>;
  deleteAdminSession(idHash: string): Promise<void>;
  addAudit(entry: AuditInput): Promise<void>;
  /** Newest first; `beforeId` pages back. */
  listAudit(limit: number, beforeId: number | null): Promise<AuditRecord[]>;
  /**
   * Bans (reason) or unbans (null) a player; a ban also deletes the player's
   * sessions and answers their id hashes, so every instance can close them.
   */
  setBan(userId: number, reason: string | null): Promise<string[]>;
  setUnranked(userId: number, unranked: boolean): Promise<void>;
  /** Clears a display name and blocks its key for everyone, forever (kept across resets). */
  clearName(userId: number, key: string): Promise<void>;
  /** Records an admin adjustment as an event. */
  recordAdjust(input: AdjustInput): Promise<EventRecord>;
  /**
   * Marks the player's standing solve of the challenge revoked (so it may be
   * solved again) and records a revoke event; null when there is no such solve.
   */
  revokeSolve(input: RevokeInput): Promise<EventRecord | null>;
  /** Appends judged submits in one transaction; answers them with their ids, in order. */
  addSubmissions(rows: readonly SubmissionInput[]): Promise<SubmissionRecord[]>;
  listSubmissions(query: SubmissionQuery): Promise<SubmissionRecord[]>;
  /** Counts for the admin overview; `sinceTs` is the start of the per-minute window. */
  submissionStats(sinceTs: number): Promise<SubmissionStats>;
  /** Throws when the database cannot be written. */
  checkWritable(): Promise<void>;
  close(): Promise<void>;
}
