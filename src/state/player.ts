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
}

export function newPlayer(id: number, username: string, displayname: string | null): Player {
  return { id, username, displayname, solved: new Set(), hints: new Map(), score: 0, hiddenBonus: 0, challengesBody: null };
}

export function clearProgress(p: Player): void {
  p.displayname = null;
  p.solved.clear();
  p.hints.clear();
  p.score = 0;
  p.hiddenBonus = 0;
  p.challengesBody = null;
}

/** The name others see: the display name, or the login name while none is set. */
export function shownName(p: Player): string {
  return p.displayname ?? p.username;
}
