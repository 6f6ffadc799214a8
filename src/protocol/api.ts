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
