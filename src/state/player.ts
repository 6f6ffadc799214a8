/** Everything the server keeps in memory about one player. */
export interface Player {
  readonly id: number;
  readonly username: string;
  displayname: string | null;
  readonly solved: Set<number>;
  /** challenge id → hint ids bought */
  readonly hints: Map<number, Set<number>>;
  score: number;
  solves: number;
  /** time of the last score-changing event, or of the first event */
  lastTs: number;
  /** has scored or bought a hint: shown on the board */
  onBoard: boolean;
  /** score over time, [ts, score], oldest first; one point per score change */
  readonly series: Array<[number, number]>;
  /** per-player serialized /api/challenges answer; null when stale */
  challengesBody: Buffer | null;
}

export function newPlayer(id: number, username: string, displayname: string | null): Player {
  return {
    id,
    username,
    displayname,
    solved: new Set(),
    hints: new Map(),
    score: 0,
    solves: 0,
    lastTs: 0,
    onBoard: false,
    series: [],
    challengesBody: null,
  };
}

export function clearProgress(p: Player): void {
  p.displayname = null;
  p.solved.clear();
  p.hints.clear();
  p.score = 0;
  p.solves = 0;
  p.lastTs = 0;
  p.onBoard = false;
  p.series.length = 0;
  p.challengesBody = null;
}

/** The name others see: the display name, or the login name while none is set. */
export function shownName(p: Player): string {
  return p.displayname ?? p.username;
}
