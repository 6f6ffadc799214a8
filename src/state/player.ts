/** Everything the server keeps in memory about one player (board rows live in Board). */
export interface Player {
  readonly id: number;
  readonly username: string;
  displayname: string | null;
  readonly solved: Set<number>;
  /** challenge id → hint ids bought */
  readonly hints: Map<number, Set<number>>;
  /**
   * The part of the score that never changes: hints, adjustments and first-blood
   * bonuses; the solves' values are added from the boards (they move, SPEC §9).
   */
  flat: number;
  /** the sum of the recorded points of the player's events: the store's idea of the score */
  recorded: number;
  /** the player's division (credentials.csv, SPEC §9); null when none */
  division: string | null;
  /** first-blood bonuses of solves made during the freeze: not shown to the player until the reveal */
  hiddenBonus: number;
  /** the player's own part of each visible /api/challenges item, serialized; null when stale */
  challengeParts: ReadonlyArray<readonly [id: number, json: string]> | null;
  /** the whole /api/challenges answer, valid while `version` matches the shared values' version */
  challengesBody: { readonly version: number; readonly body: Buffer } | null;
  /** the ban's reason; null when not banned (SPEC §8) */
  banReason: string | null;
  /** plays normally but is left out of boards, feeds, solve counts and first-blood ranks */
  unranked: boolean;
  /** time of the player's newest event (0: none) */
  lastTs: number;
}

export function newPlayer(id: number, username: string, displayname: string | null): Player {
  return {
    id,
    username,
    displayname,
    solved: new Set(),
    hints: new Map(),
    flat: 0,
    recorded: 0,
    division: null,
    hiddenBonus: 0,
    challengeParts: null,
    challengesBody: null,
    banReason: null,
    unranked: false,
    lastTs: 0,
  };
}

/** Forgets what the events gave the player (a rebuild replays them); name and moderation flags stay. */
export function clearScores(p: Player): void {
  p.solved.clear();
  p.hints.clear();
  p.flat = 0;
  p.recorded = 0;
  p.hiddenBonus = 0;
  p.lastTs = 0;
  staleChallenges(p);
}

/** The player's own view of the challenges changed (a solve, a hint, a name, visibility). */
export function staleChallenges(p: Player): void {
  p.challengeParts = null;
  p.challengesBody = null;
}

/** Admin reset: progress and name go; bans and unranking stay (SPEC §3). */
export function clearProgress(p: Player): void {
  p.displayname = null;
  clearScores(p);
}

/** Banned and unranked players are left out of boards, feeds, solve counts and first-blood ranks. */
export function isCounted(p: Player): boolean {
  return p.banReason === null && !p.unranked;
}

/** The name others see: the display name, or the login name while none is set. */
export function shownName(p: Player): string {
  return p.displayname ?? p.username;
}
