/**
 * First blood (SPEC §7) and the solve ticker: which live events deserve a celebration, and the
 * bounded newest-first list of solves the projector board scrolls through. Pure functions.
 */
import type { LiveEvent } from '../../../src/protocol/messages.js';

export type Blood = 1 | 2 | 3;

export function bloodOf(e: LiveEvent): Blood | null {
  return e.type === 'score' && (e.blood === 1 || e.blood === 2 || e.blood === 3) ? e.blood : null;
}

export interface Celebration {
  /** the event id, so a replayed event is celebrated once */
  readonly id: number;
  readonly text: string;
}

/** One celebration per first blood (blood 1) in a batch, oldest first. */
export function firstBloods(events: readonly LiveEvent[]): Celebration[] {
  return events.filter((e) => bloodOf(e) === 1).map((e) => ({ id: e.id, text: `First blood: ${e.displayname} on ${e.challenge}` }));
}

export const BLOOD_LABEL: Record<Blood, string> = { 1: 'First blood', 2: 'Second blood', 3: 'Third blood' };
/** For tight rows (the projector's ticker). */
export const BLOOD_SHORT: Record<Blood, string> = { 1: 'First blood', 2: '2nd', 3: '3rd' };

export interface TickerItem {
  readonly id: number;
  readonly ts: number;
  readonly displayname: string;
  readonly challenge: string;
  readonly points: number;
  readonly blood: Blood | null;
}

export const TICKER_MAX = 8;

/** Folds new solves in (hints and duplicates are left out), newest first, at most `max`. */
export function applyTicker(ticker: readonly TickerItem[], events: readonly LiveEvent[], max = TICKER_MAX): readonly TickerItem[] {
  const known = new Set(ticker.map((t) => t.id));
  const solves = events.filter((e) => e.type === 'score' && e.points > 0 && !known.has(e.id));
  if (solves.length === 0) return ticker;
  const items = solves.map(
    (e): TickerItem => ({ id: e.id, ts: e.ts, displayname: e.displayname, challenge: e.challenge, points: e.points, blood: bloodOf(e) }),
  );
  return [...items, ...ticker].sort((a, b) => b.id - a.id).slice(0, max);
}
