/** Everything the server keeps in memory about one player (board rows live in Board). */
export interface Player {
  readonly id: number;
  readonly username: string;
  displayname: string | null;
  readonly solved: Set<number>;
  /** challenge id → hint ids bought */
  readonly hints: Map<number, Set<number>>;
  /** live score, first-blood bonuses included */
  score: number;
  /** first-blood bonuses of solves made during the freeze: not shown to the player until the reveal */
  hiddenBonus: number;
  /** per-player serialized /api/challenges answer; null when stale */
  challengesBody: Buffer | null;
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
    score: 0,
    hiddenBonus: 0,
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
  p.score = 0;
  p.hiddenBonus = 0;
  p.lastTs = 0;
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
