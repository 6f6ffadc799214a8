/** HTTP API shapes (SPEC §3) shared by the server and the web app. */

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
  badRequest: 'bad_request',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  internalError: 'internal_error',
  resetNotConfigured: 'reset_not_configured',
  unavailable: 'unavailable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  readonly error: string;
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

export type AwardResponse = { readonly result: 'ok' } | { readonly result: 'already_solved'; readonly total: number };

export interface ScoreboardResponse {
  readonly standings: ReadonlyArray<{
    readonly pos: number;
    readonly displayname: string;
    readonly score: number;
    readonly solves: number;
    readonly last_ts: number;
  }>;
}
