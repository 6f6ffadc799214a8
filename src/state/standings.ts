import { compareStandings, type PlayerScore } from '../domain/rules.js';
import type { StandingRow } from '../protocol/messages.js';
import { shownName, type Player } from './player.js';

/** One player's line on one board (the live board, or the board as it was at the freeze). */
export interface BoardRow {
  readonly player: Player;
  score: number;
  solves: number;
  /** time of the last score-changing event, or of the first event */
  lastTs: number;
  /** score over time, [ts, score], oldest first; one point per score change */
  readonly series: Array<[number, number]>;
  /** challenge id → the solve's points and time (the CTFtime feed's taskStats) */
  readonly tasks: Map<number, { readonly points: number; readonly ts: number }>;
}

export function newRow(player: Player): BoardRow {
  return { player, score: 0, solves: 0, lastTs: 0, series: [], tasks: new Map() };
}

function scoreOf(r: BoardRow): PlayerScore {
  return { displayname: shownName(r.player), score: r.score, solves: r.solves, lastTs: r.lastTs };
}

/**
 * The board, kept sorted incrementally: a score change moves one row with a
 * binary search instead of re-sorting everybody.
 */
export class Standings {
  private readonly rows: BoardRow[] = [];

  get size(): number {
    return this.rows.length;
  }

  /** Call after `r` changed (score, time or name); adds it when new to the board. */
  update(r: BoardRow): void {
    const at = this.rows.indexOf(r);
    if (at >= 0) this.rows.splice(at, 1);
    const key = scoreOf(r);
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareStandings(scoreOf(this.rows[mid] as BoardRow), key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.rows.splice(lo, 0, r);
  }

  clear(): void {
    this.rows.length = 0;
  }

  top(n: number): BoardRow[] {
    return this.rows.slice(0, n);
  }

  all(): readonly BoardRow[] {
    return this.rows;
  }

  toRows(): StandingRow[] {
    return this.rows.map((r, i) => ({
      pos: i + 1,
      displayname: shownName(r.player),
      score: r.score,
      solves: r.solves,
      last_ts: r.lastTs,
    }));
  }
}
