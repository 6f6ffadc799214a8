/**
 * Admin API shapes (SPEC §8) the console at /admin uses, shared with the admin routes. The player
 * app never needs them (it imports only ADMIN_PATH, to know when to load the console).
 */
import type { EventResponse } from './api.js';
import type { StandingRow } from './messages.js';

// The moderation shapes are the moderation module's own.
export type { AdjustRequest, AdminPlayer, AdminPlayersResponse, BanRequest, VisibilityRequest } from './admin.js';

/** The console's own path; everything under it is the lazy-loaded admin app. */
export const ADMIN_PATH = '/admin';

export type SubmissionResult = 'correct' | 'incorrect';

/** One judged submit, from GET /api/admin/submissions or the admin socket. */
export interface AdminSubmission {
  readonly id: number;
  readonly ts: number;
  readonly username: string;
  readonly displayname: string | null;
  readonly challenge_id: number;
  readonly result: SubmissionResult | string;
  /** the submitted text, first 256 characters (database only, never logged) */
  readonly flag: string;
  readonly address: string;
}

export interface AdminSubmissionsResponse {
  readonly submissions: readonly AdminSubmission[];
}

/** `{"type":"submission", …}` on admin sockets only. */
export interface SubmissionMessage extends AdminSubmission {
  readonly type: 'submission';
}

/** GET /api/admin/overview. */
export interface AdminOverview {
  readonly event: EventResponse;
  readonly players: number;
  readonly players_on_board: number;
  readonly sockets: number;
  readonly solves: number;
  readonly wrong_submissions: number;
  /** [minute start in ms, judged submits in that minute], oldest first */
  readonly submissions_per_minute: ReadonlyArray<readonly [number, number]>;
  readonly standings: readonly StandingRow[];
}

/** One challenge in the console's list (GET /api/admin/challenges). */
export interface AdminChallenge {
  readonly id: number;
  readonly title: string;
  readonly category: string;
  readonly difficulty: string;
  readonly points: number;
  /** hidden by an organizer, or not yet released */
  readonly hidden: boolean;
  readonly solves: number;
  /** display names of the first solvers (up to three), first first */
  readonly first_solvers: readonly string[];
}

export interface AdminChallengesResponse {
  readonly challenges: readonly AdminChallenge[];
}

/** POST /api/admin/reload: 200 body. */
export interface ReloadResponse {
  readonly challenges: number;
  readonly players: number;
  readonly changes: readonly string[];
}

/** POST /api/admin/reload: 422 body, the same problems as `ctfg validate`. */
export interface ReloadProblems {
  readonly error: 'invalid_game';
  readonly problems: readonly unknown[];
}

/** The word the console asks an organizer to type before a reset. */
export const RESET_CONFIRM_WORD = 'RESET';
