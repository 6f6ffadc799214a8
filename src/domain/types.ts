/** A hint as written in challenges.json. */
export interface Hint {
  readonly id: number;
  readonly text: string;
  readonly cost: number;
}

/** A challenge as loaded and validated from challenges.json. */
export interface Challenge {
  readonly id: number;
  readonly title: string;
  readonly category: string;
  readonly difficulty: string;
  readonly points: number;
  readonly description: string;
  /** The flag regular expression source, as written by the author. */
  readonly flag: string;
  readonly testflag?: string;
  readonly hints: readonly Hint[];
  readonly requirements: readonly number[];
  readonly content?: string;
  /** ms since the epoch: hidden until then (SPEC §7 timed release) */
  readonly release?: number;
}

/** One row of credentials.csv. `password` is plain text or a PHC hash string. */
export interface Credential {
  readonly username: string;
  readonly password: string;
}

/** One organizer from admins.csv (SPEC §8): the token plain or a PHC hash. */
export interface AdminAccount {
  readonly name: string;
  readonly token: string;
}

export interface Clusters {
  readonly controlCluster: string;
  readonly playerClusters: readonly string[];
}

/** One problem found while loading game files: where, and what a person should fix. */
export interface GameFileProblem {
  readonly file: string;
  /** e.g. "challenge 7, field flag" or "line 12" */
  readonly where: string;
  readonly message: string;
}

export type LoadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly GameFileProblem[] };
