/** HTTP API shapes (SPEC §3) shared by the server and the web app. */

/**
 * The closed catalogue of error codes (SPEC §3): every `{"error": …}` the server
 * sends, over HTTP and on the scorestream handshake, is one of these or a
 * ValidationMessage.
 */
export const ErrorCode = {
  unauthorized: 'unauthorized',
  invalidCredentials: 'invalid_credentials',
  rateLimitExceeded: 'rate_limit_exceeded',
  nameTaken: 'name_taken',
  unknownId: 'unknown_id',
  unknownUser: 'unknown_user',
  locked: 'locked',
  missingParameters: 'missing_parameters',
  unknownChallenge: 'unknown_challenge',
  unknownHint: 'unknown_hint',
  alreadyPurchased: 'already_purchased',
  insufficientPoints: 'insufficient_points',
  notFound: 'not_found',
  forbiddenOrigin: 'forbidden_origin',
  tooManySocketsSession: 'too_many_sockets_session',
  tooManySocketsPlayer: 'too_many_sockets_player',
  tooManySocketsAddress: 'too_many_sockets_address',
  badRequest: 'bad_request',
  invalidJson: 'invalid_json',
  confirmRequired: 'confirm_required',
  payloadTooLarge: 'payload_too_large',
  requestTimeout: 'request_timeout',
  unsupportedMediaType: 'unsupported_media_type',
  internalError: 'internal_error',
  resetNotConfigured: 'reset_not_configured',
  unavailable: 'unavailable',
  notStarted: 'not_started',
  paused: 'paused',
  ended: 'ended',
  adminNotConfigured: 'admin_not_configured',
  invalidGame: 'invalid_game',
  tooManyViewers: 'too_many_viewers',
  // Moderation (SPEC §8).
  banned: 'banned',
  notSolved: 'not_solved',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

declare const validationBrand: unique symbol;

/**
 * A sentence saying which input rule failed (SPEC §3: "400 validation
 * message"), e.g. "Display name must be at least 2 characters". Only
 * validationMessage() makes one, so free text cannot slip into an error body.
 */
export type ValidationMessage = string & { readonly [validationBrand]: true };

export function validationMessage(text: string): ValidationMessage {
  return text as ValidationMessage;
}

export interface ErrorBody {
  readonly error: ErrorCode | ValidationMessage;
}

/** POST /api/login for a banned player: 403 with the ban's reason (SPEC §8). */
export interface BannedResponse {
  readonly error: 'banned';
  readonly reason: string;
}

/** Every success body of a state change that has nothing else to say. */
export interface OkResponse {
  readonly result: 'ok';
}

export interface ConfigResponse {
  readonly title: string;
  readonly banner: string | null;
}

export interface HealthResponse {
  readonly status: 'ok';
}

export interface ReadyResponse {
  readonly status: 'ready' | 'unavailable';
  readonly checks: Readonly<Record<string, string>>;
}

export interface LoginResponse {
  readonly displayname: string | null;
  readonly needs_name: boolean;
  readonly websocket_url: string;
}

export interface MeResponse extends LoginResponse {
  readonly username: string;
  /** the player's own score: always live, valued at frozen values during a freeze (SPEC §7) */
  readonly score?: number;
}

export interface HintView {
  readonly id: number;
  readonly cost: number;
  /** present only once bought */
  readonly text?: string;
}

export interface ChallengeView {
  readonly id: number;
  readonly title: string;
  readonly category: string;
  readonly difficulty: string;
  readonly points: number;
  readonly solved: boolean;
  readonly description: string;
  readonly hints: readonly HintView[];
  readonly content: string;
}

export type SubmitResponse =
  | { readonly result: 'correct'; readonly points: number; readonly total: number }
  | { readonly result: 'incorrect' }
  | { readonly result: 'already_solved'; readonly total: number };

export type AwardResponse = OkResponse | { readonly result: 'already_solved'; readonly total: number };

export interface ScoreboardResponse {
  readonly standings: ReadonlyArray<{
    readonly pos: number;
    readonly displayname: string;
    readonly score: number;
    readonly solves: number;
    readonly last_ts: number;
  }>;
}

/** The clock states (SPEC §7): ended wins over paused, paused over before. */
export const EventState = { before: 'before', running: 'running', paused: 'paused', ended: 'ended' } as const;
export type EventState = (typeof EventState)[keyof typeof EventState];

/** GET /api/event (public); times in ms since the epoch or null. */
export interface EventResponse {
  readonly title: string | null;
  readonly state: EventState;
  readonly start: number | null;
  readonly end: number | null;
  readonly freeze: number | null;
  /** true from `freeze` until the admin reveals */
  readonly frozen: boolean;
  readonly paused: boolean;
  readonly now: number;
}

/** POST /api/admin/event: times as ISO strings or null (null clears); absent = unchanged. */
export interface AdminEventRequest {
  readonly start?: string | null;
  readonly end?: string | null;
  readonly freeze?: string | null;
  readonly paused?: boolean;
}

/** One announcement; GET /api/announcements answers these newest first. */
export interface Announcement {
  readonly id: number;
  /** ms since the epoch */
  readonly ts: number;
  /** Markdown, at most ANNOUNCEMENT_MAX_CHARS characters */
  readonly text: string;
}

export const ANNOUNCEMENT_MAX_CHARS = 2000;

/** GET /api/board (public with public_scoreboard) and GET /api/admin/stream-url. */
export interface BoardResponse {
  readonly websocket_url: string;
}

/** POST /api/admin/login body. */
export interface AdminLoginRequest {
  readonly token: string;
  readonly name: string;
}

/** One row of GET /api/admin/audit. */
export interface AuditEntry {
  readonly id: number;
  readonly ts: number;
  readonly admin: string;
  readonly address: string;
  readonly action: string;
  readonly detail: string;
}

export interface AuditResponse {
  readonly entries: readonly AuditEntry[];
}

/** GET /api/ctftime: the CTFtime scoreboard feed; times in seconds since the epoch. */
export interface CtftimeFeed {
  readonly tasks: readonly string[];
  readonly standings: ReadonlyArray<{
    readonly pos: number;
    readonly team: string;
    readonly score: number;
    readonly taskStats: Readonly<Record<string, { readonly points: number; readonly time: number }>>;
    readonly lastAccept: number;
  }>;
}

/** Path of the projector view served by the app. */
export const BOARD_PATH = '/board';
