import type { Credential } from '../domain/types.js';
import type { StreamEvent } from '../protocol/messages.js';

export interface GameStateOptions {
  /** how many recent events are kept for resuming clients */
  readonly resumeCapacity?: number;
  /** how many players the score-over-time chart shows */
  readonly topN?: number;
  /** first-blood bonus for the 1st, 2nd, 3rd solver */
  readonly firstBloodBonus?: readonly number[];
  /** the freeze in force (not revealed), ms since the epoch */
  readonly freezeAt?: number | null;
  /** credentials.csv: each player's division (SPEC §9) */
  readonly roster?: readonly Credential[];
}

/** One applied event: its full form for admins, and who else may see it. */
export interface Applied {
  readonly event: StreamEvent;
  /** the full form, serialized once */
  readonly json: string;
  readonly userId: number;
  /** non-null when only its own player — in team mode, the team — (and admins) may see it: in this form */
  readonly ownJson: string | null;
  /** who may see `ownJson`: the player, or the members of their team (default: `userId`) */
  readonly owners?: readonly number[];
  /** the boards were rebuilt (a revoke): every socket needs a fresh snapshot after this event */
  readonly resync?: true;
}

/** Which board a reader gets: players and viewers the (possibly frozen) public one, admins the live one. */
export type BoardView = 'public' | 'admin';

/** Moderation flags of one player; absent fields stay as they are. */
export interface PlayerFlags {
  readonly banReason?: string | null;
  readonly unranked?: boolean;
}
