import type { Challenge } from './types.js';

/** A challenge is visible (and solvable) once all of its requirements are solved. */
export function isVisible(challenge: Challenge, solved: ReadonlySet<number>): boolean {
  for (const req of challenge.requirements) if (!solved.has(req)) return false;
  return true;
}

export type HintDecision =
  | { readonly ok: true; readonly cost: number; readonly previousHintId: number | null }
  | { readonly ok: false; readonly error: 'unknown_hint' | 'already_purchased' | 'locked' | 'insufficient_points' };

/**
 * Whether a player may buy a hint: hints go strictly in array order, and a
 * priced hint needs a score of at least its cost (a free hint is always allowed).
 */
export function decideHintPurchase(
  challenge: Challenge,
  hintId: number,
  bought: ReadonlySet<number>,
  score: number,
): HintDecision {
  const index = challenge.hints.findIndex((h) => h.id === hintId);
  if (index < 0) return { ok: false, error: 'unknown_hint' };
  if (bought.has(hintId)) return { ok: false, error: 'already_purchased' };
  const previous = index > 0 ? challenge.hints[index - 1] : undefined;
  if (previous && !bought.has(previous.id)) return { ok: false, error: 'locked' };
  const cost = challenge.hints[index]?.cost ?? 0;
  if (cost > 0 && score < cost) return { ok: false, error: 'insufficient_points' };
  return { ok: true, cost, previousHintId: previous ? previous.id : null };
}

/** What the standings need to know about one player. */
export interface PlayerScore {
  readonly displayname: string;
  readonly score: number;
  readonly solves: number;
  /** time of the last score-changing event (or of the first event, when none changed the score) */
  readonly lastTs: number;
}

/**
 * Standings order (SPEC §3): score descending, then the earlier last
 * score-changing event, then display name.
 */
export function compareStandings(a: PlayerScore, b: PlayerScore): number {
  if (a.score !== b.score) return b.score - a.score;
  if (a.lastTs !== b.lastTs) return a.lastTs - b.lastTs;
  return a.displayname < b.displayname ? -1 : a.displayname > b.displayname ? 1 : 0;
}
