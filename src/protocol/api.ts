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
  /** team mode (SPEC §9): the player's team, whose row and solves are theirs; absent otherwise */
  readonly team?: string;
}

export interface MeResponse extends LoginResponse {
  readonly username: string;
  /** the player's own score: always live, valued at frozen values during a freeze (SPEC §7) */
  readonly score?: number;
  /** the player's division; absent when none */
  readonly division?: string;
}

export interface HintView {
  readonly id: number;
  readonly cost: number;
  /** present only once bought */
  readonly text?: string;
}

export interface FirstSolver {
  readonly name: string;
  /** ms since the epoch */
  readonly ts: number;
}

/** A dynamically scored challenge's formula (SPEC §9), for the app's explanation; `initial` is S. */
export interface DecayView {
  readonly function: 'linear' | 'parabolic';
  readonly minimum: number;
  readonly decay: number;
  readonly initial: number;
}

export interface ChallengeView {
  readonly id: number;
  readonly title: string;
  readonly category: string;
  readonly difficulty: string;
  /** the current value (SPEC §9: falls with solves under dynamic scoring) */
  readonly points: number;
  /** counted solvers (neither banned nor unranked) */
  readonly solves: number;
  /** the first three counted solvers, oldest first */
  readonly first_solvers: readonly FirstSolver[];
  readonly solved: boolean;
  readonly description: string;
  readonly hints: readonly HintView[];
  readonly content: string;
  /** present on dynamically scored challenges only */
  readonly decay?: DecayView;
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
    readonly division?: string;
  }>;
}

/** Most rows one GET /api/scoreboard?limit= page may ask for. */
export const SCOREBOARD_PAGE_MAX = 1000;
/** Rows of GET /api/scoreboard?around=me when no limit is given. */
export const SCOREBOARD_AROUND_DEFAULT = 21;

/**
 * GET /api/scoreboard with `limit`, `offset` or `around=me` (docs/api.md): one
 * page of the same rows, `pos` still counting the whole board.
 */
export interface ScoreboardPageResponse extends ScoreboardResponse {
  /** rows on the whole board */
  readonly total: number;
  /** index of the first row of this page (its pos − 1) */
  readonly offset: number;
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

// --- h/reload: POST /api/admin/reload (SPEC §8) ---

/** One problem in the game files, as `ctfg validate` reports it. */
export interface GameFileProblemView {
  readonly file: string;
  /** e.g. "challenge 7, field flag" or "line 12" */
  readonly where: string;
  readonly message: string;
}

/** 200: the game folder was applied; `changes` says what changed, one line each (empty: nothing). */
export interface ReloadResponse {
  readonly challenges: number;
  readonly players: number;
  readonly changes: readonly string[];
}

/** 422: the game folder has problems; nothing changed. */
export interface InvalidGameResponse {
  readonly error: 'invalid_game';
  readonly problems: readonly GameFileProblemView[];
}

/** Judged submits (SPEC §8): only a flag that was compared is recorded. */
export const SubmissionResult = { correct: 'correct', incorrect: 'incorrect' } as const;
export type SubmissionResult = (typeof SubmissionResult)[keyof typeof SubmissionResult];

/** Longest flag text kept in the submissions log; the rest is cut off. */
export const SUBMISSION_FLAG_MAX_CHARS = 256;

/** One judged submit, as GET /api/admin/submissions lists it and the admin socket tails it. */
export interface SubmissionView {
  readonly id: number;
  /** ms since the epoch */
  readonly ts: number;
  readonly username: string;
  /** the display name at the time of the submit (the login name while none was set) */
  readonly displayname: string;
  readonly challenge_id: number;
  readonly result: SubmissionResult;
  /** the submitted text, at most SUBMISSION_FLAG_MAX_CHARS characters */
  readonly flag: string;
  /** the client address the submit came from */
  readonly address: string;
}

/** GET /api/admin/submissions: newest first. */
export interface SubmissionsResponse {
  readonly submissions: readonly SubmissionView[];
}

/** GET /api/admin/overview: the console's live counters. */
export interface OverviewResponse {
  readonly event: EventResponse;
  /** every player in credentials.csv */
  readonly players: number;
  /** players (or teams) on the live board */
  readonly players_on_board: number;
  /** open scorestream sockets, every instance together */
  readonly sockets: number;
  /** solves counted on the live board */
  readonly solves: number;
  /** judged submits with a wrong flag */
  readonly wrong_submissions: number;
  /** [minute start (ms since the epoch), judged submits in that minute], the last 60 minutes, oldest first */
  readonly submissions_per_minute: ReadonlyArray<readonly [number, number]>;
  /** the first 10 rows of the live (never frozen) board */
  readonly standings: ScoreboardResponse['standings'];
}
