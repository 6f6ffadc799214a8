import { compareStandings } from '../domain/rules.js';
import type { StandingRow } from '../protocol/messages.js';
import { shownName, unitDivision, unitName, type Unit } from './player.js';

/** One unit's line (a player's, or a team's) on one board (the live board, or the board as it was at the freeze). */
export interface BoardRow {
  readonly unit: Unit;
  /** the name the row shows (kept in step by Board.rename); a field, so sorting allocates nothing */
  displayname: string;
  score: number;
  solves: number;
  /** time of the last score-changing event, or of the first event */
  lastTs: number;
  /** score over time, [ts, score], oldest first; one point per score change (capped: see pushPoint) */
  readonly series: Array<[number, number]>;
  /** challenge id → the solve's points now (value + bonus) and time (the CTFtime feed's taskStats) */
  readonly tasks: Map<number, { points: number; readonly ts: number }>;
  /** id of the event that last changed the score without being the row's own (dynamic scoring) */
  changedAt: number;
}

/** Points a row keeps in memory; past this the older half is thinned, so memory stays bounded. */
const SERIES_KEEP = 1000;

export function newRow(unit: Unit): BoardRow {
  return { unit, displayname: unitName(unit), score: 0, solves: 0, lastTs: 0, series: [], tasks: new Map(), changedAt: 0 };
}

/** Records the row's score at `ts`; past SERIES_KEEP points every second one of the oldest half goes. */
export function pushPoint(r: BoardRow, ts: number): void {
  r.series.push([ts, r.score]);
  if (r.series.length <= SERIES_KEEP) return;
  const half = SERIES_KEEP / 2;
  const older = r.series.slice(0, half).filter((_, i) => i % 2 === 1);
  r.series.splice(0, half, ...older);
}

/** The newest `cap` points of a series, for the snapshot (SPEC §9: each top-10 series ≤ 500 points). */
export function cappedSeries(r: BoardRow, cap: number): Array<[number, number]> {
  return r.series.length <= cap ? r.series : r.series.slice(-cap);
}

/** A row is a PlayerScore as it stands: comparing allocates nothing (a repricing sorts the whole board). */
function byStandings(a: BoardRow, b: BoardRow): number {
  return compareStandings(a, b);
}

/** The wire form of a row; unset optional keys are left out (SPEC §9 snapshot size). */
export function wireRow(r: BoardRow, pos: number): StandingRow {
  const row: StandingRow = { pos, displayname: r.displayname, score: r.score, solves: r.solves, last_ts: r.lastTs };
  const division = unitDivision(r.unit);
  const team = r.unit.team === null ? {} : { team: r.unit.team, members: r.unit.members.map(shownName) };
  return { ...row, ...team, ...(division === null ? {} : { division }) };
}

/** Above this many rows changed at once, one full sort is cheaper than moving each. */
const RESORT_AT = 8;

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
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byStandings(this.rows[mid] as BoardRow, r) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.rows.splice(lo, 0, r);
  }

  /** Call after many rows already on the board changed (a challenge's value moved). */
  updateMany(changed: readonly BoardRow[]): void {
    if (changed.length <= RESORT_AT) for (const r of changed) this.update(r);
    else this.rows.sort(byStandings);
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
    return this.rows.map((r, i) => wireRow(r, i + 1));
  }

  /** The rows for which `pick` holds, in board order with their overall pos. */
  pick(pick: (r: BoardRow) => boolean): StandingRow[] {
    const out: StandingRow[] = [];
    this.rows.forEach((r, i) => {
      if (pick(r)) out.push(wireRow(r, i + 1));
    });
    return out;
  }
}
