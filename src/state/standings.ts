import { compareStandings, type PlayerScore } from '../domain/rules.js';
import type { StandingRow } from '../protocol/messages.js';
import { shownName, type Player } from './player.js';

function scoreOf(p: Player): PlayerScore {
  return { displayname: shownName(p), score: p.score, solves: p.solves, lastTs: p.lastTs };
}

/**
 * The board, kept sorted incrementally: a score change moves one player with a
 * binary search instead of re-sorting everybody.
 */
export class Standings {
  private readonly rows: Player[] = [];

  get size(): number {
    return this.rows.length;
  }

  /** Call after `p` changed (score, time or name); adds it when new to the board. */
  update(p: Player): void {
    const at = this.rows.indexOf(p);
    if (at >= 0) this.rows.splice(at, 1);
    const key = scoreOf(p);
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareStandings(scoreOf(this.rows[mid] as Player), key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.rows.splice(lo, 0, p);
  }

  clear(): void {
    this.rows.length = 0;
  }

  top(n: number): Player[] {
    return this.rows.slice(0, n);
  }

  toRows(): StandingRow[] {
    return this.rows.map((p, i) => ({
      pos: i + 1,
      displayname: shownName(p),
      score: p.score,
      solves: p.solves,
      last_ts: p.lastTs,
    }));
  }
}
