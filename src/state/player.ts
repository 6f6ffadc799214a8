/**
 * Everything the server keeps in memory about one player, and the unit that
 * scores: the player alone, or in team mode (SPEC §9) their team, whose
 * members share one set of solves, hints and points. Board rows live in Board.
 */

/** Who scores: one player, or a team. Progress lives here, shared by the members. */
export interface Unit {
  /** the board row key: the player's id alone, a negative number for a team */
  readonly id: number;
  /** the team's name in team mode; null for a player playing alone */
  readonly team: string | null;
  readonly members: Player[];
  readonly solved: Set<number>;
  /** challenge id → hint ids bought */
  readonly hints: Map<number, Set<number>>;
  /**
   * The part of the score that never changes: hints, adjustments and first-blood
   * bonuses; the solves' values are added from the boards (they move, SPEC §9).
   */
  flat: number;
  /** the sum of the recorded points of the unit's events: the store's idea of the score */
  recorded: number;
  /** first-blood bonuses of solves made during the freeze: not shown to the unit until the reveal */
  hiddenBonus: number;
}

export interface Player {
  readonly id: number;
  readonly username: string;
  displayname: string | null;
  /** the player's division (credentials.csv, SPEC §9); null when none */
  division: string | null;
  /** the player's team (credentials.csv, SPEC §9); null outside team mode */
  team: string | null;
  /** who scores for this player: themselves, or their team */
  unit: Unit;
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

export function newUnit(id: number, team: string | null, members: Player[] = []): Unit {
  return { id, team, members, solved: new Set(), hints: new Map(), flat: 0, recorded: 0, hiddenBonus: 0 };
}

export function newPlayer(id: number, username: string, displayname: string | null): Player {
  const p: Player = {
    id,
    username,
    displayname,
    division: null,
    team: null,
    unit: newUnit(id, null),
    challengeParts: null,
    challengesBody: null,
    banReason: null,
    unranked: false,
    lastTs: 0,
  };
  p.unit.members.push(p);
  return p;
}

/** Forgets what the events gave the unit (a rebuild replays them). */
export function clearUnit(u: Unit): void {
  u.solved.clear();
  u.hints.clear();
  u.flat = 0;
  u.recorded = 0;
  u.hiddenBonus = 0;
}

/** Forgets what the events gave the player (a rebuild replays them); name and moderation flags stay. */
export function clearScores(p: Player): void {
  clearUnit(p.unit);
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

/** A ban or unranking of one member applies to the whole team (SPEC §9). */
export function isUnitCounted(u: Unit): boolean {
  return u.members.every(isCounted);
}

/** The name others see: the display name, or the login name while none is set. */
export function shownName(p: Player): string {
  return p.displayname ?? p.username;
}

/** The name a unit's board row shows: the team's, or the player's. */
export function unitName(u: Unit): string {
  const first = u.members[0];
  return u.team ?? (first ? shownName(first) : `#${u.id}`);
}

/** The unit's division: its members share one (a team may not span divisions). */
export function unitDivision(u: Unit): string | null {
  return u.members[0]?.division ?? null;
}
