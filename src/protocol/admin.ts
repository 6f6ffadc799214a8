/** Admin console shapes for moderation (SPEC §8), shared by the server and the console. */

/** One row of GET /api/admin/players. */
export interface AdminPlayer {
  readonly username: string;
  readonly displayname: string | null;
  /** null until teams exist (SPEC §9) */
  readonly team: string | null;
  readonly division: string | null;
  /** live score (never frozen), adjustments included */
  readonly score: number;
  readonly solves: number;
  /** ms since the epoch: the later of the last login and the last event; null when never seen */
  readonly last_seen: number | null;
  readonly banned: boolean;
  readonly ban_reason: string | null;
  readonly unranked: boolean;
}

/** GET /api/admin/players?query=&limit=&offset= */
export interface AdminPlayersResponse {
  /** players matching the query (before limit/offset) */
  readonly total: number;
  readonly players: readonly AdminPlayer[];
}

export interface BanRequest {
  readonly username: string;
  readonly reason: string;
}

export interface UsernameRequest {
  readonly username: string;
}

export interface UnrankedRequest {
  readonly username: string;
  readonly unranked: boolean;
}

export interface AdjustRequest {
  readonly username: string;
  /** integer ≠ 0, may be negative */
  readonly points: number;
  readonly reason: string;
}

/** POST /api/admin/award and POST /api/admin/solves/revoke */
export interface AdminSolveRequest {
  readonly username: string;
  readonly id: number;
  readonly reason: string;
}

export interface VisibilityRequest {
  readonly id: number;
  readonly hidden: boolean;
}

/** The 200 answer of every moderation write: the player (or challenge) as it is now. */
export interface ModerationResponse {
  readonly result: 'ok';
}

/** POST /api/admin/adjust */
export interface AdjustResponse extends ModerationResponse {
  /** the adjust event's id */
  readonly id: number;
  /** the player's live score afterwards */
  readonly score: number;
}

/** POST /api/admin/challenges/visibility */
export interface VisibilityResponse extends ModerationResponse {
  /** every hidden challenge id, ascending */
  readonly hidden: readonly number[];
}

/** Reasons are shown in the audit log and the console; kept short. */
export const MODERATION_REASON_MAX = 500;
