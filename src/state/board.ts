import type { CtftimeFeed, FirstSolver } from '../protocol/api.js';
import type { BoardMessage, SeriesEntry, SnapshotMessage, StandingRow } from '../protocol/messages.js';
import type { EventKind } from '../storage/store.js';
import { unitDivision, unitName, type Unit } from './player.js';
import { cappedSeries, newRow, pushPoint, Standings, wireRow, type BoardRow } from './standings.js';

/** One event as a board counts it; a solve's value comes from the board's own solve counts. */
export interface Scored {
  readonly id: number;
  readonly kind: EventKind;
  readonly challengeId: number;
  /** the part that never changes: a hint's cost, an adjustment, a solve's first-blood bonus */
  readonly flat: number;
  readonly ts: number;
}

/** A challenge's value after `solves` counted solves (SPEC §9). */
export type ValueOf = (challengeId: number, solves: number) => number;

/** A `board` message (SPEC §9) with these rows after the events up to `lastId`; null when there are none. */
export function boardMessage(rows: StandingRow[] | null, lastId: number, now: number): string | null {
  if (rows === null) return null;
  const message: BoardMessage = { type: 'board', last_id: lastId, ts: now, rows };
  return JSON.stringify(message);
}

/** Each top-10 series in a snapshot holds at most this many points (SPEC §9). */
export const SNAPSHOT_SERIES_CAP = 500;

/**
 * One view of the standings: the live board, or the board as it was at the
 * freeze (built from the events before it). It counts its own solves, so a
 * frozen board keeps the values of the freeze. Serialized answers are cached
 * as bytes until the board changes.
 */
export class Board {
  private readonly rows = new Map<number, BoardRow>();
  private readonly standings = new Standings();
  /** challenge id → the rows that solved it, in solve order */
  private readonly solvers = new Map<number, BoardRow[]>();
  /** rows whose score changed without an event of their own since the last patch */
  private readonly repriced = new Set<BoardRow>();
  private scoreboardCache: Buffer | null = null;
  /** division name → its board, ranked within it (SPEC §9) */
  private readonly divisionCache = new Map<string, { readonly rows: readonly StandingRow[]; body: Buffer | null }>();
  /** the rows of scoreboardBody; a new array per change, so HTTP caches can key on its identity */
  private rowsCache: readonly StandingRow[] | null = null;
  /** standings and top series, serialized; the snapshot wraps them with its last_id */
  private snapshotRest: string | null = null;
  private snapshotCache: { readonly lastId: number; readonly body: Buffer } | null = null;

  constructor(private readonly valueOf: ValueOf) {}

  get size(): number {
    return this.standings.size;
  }

  /** Counted solvers of a challenge on this board. */
  solveCount(challengeId: number): number {
    return this.solvers.get(challengeId)?.length ?? 0;
  }

  /** A challenge's value on this board now. */
  value(challengeId: number): number {
    return this.valueOf(challengeId, this.solveCount(challengeId));
  }

  /** The sum of these challenges' values on this board (a unit's solves: values move with solve counts, SPEC §9). */
  valueOfAll(challengeIds: Iterable<number>): number {
    let sum = 0;
    for (const id of challengeIds) sum += this.value(id);
    return sum;
  }

  /** The first three solvers, oldest first (SPEC §9). */
  firstSolvers(challengeId: number): FirstSolver[] {
    return (this.solvers.get(challengeId) ?? []).slice(0, 3).map((r) => ({ name: r.displayname, ts: r.tasks.get(challengeId)?.ts ?? 0 }));
  }

  /** Folds in one event (already known to be new for this unit); answers the points it gave the row. */
  apply(e: Scored, u: Unit): number {
    let row = this.rows.get(u.id);
    const fresh = !row;
    if (!row) this.rows.set(u.id, (row = newRow(u)));
    // An event names one member: a new team row goes out whole (members included) with the batch's patch.
    if (fresh && u.team !== null) this.markChanged(row, e.id);
    let points = e.flat;
    if (e.kind === 'score') {
      points += this.addSolver(e, row);
      row.solves++;
      row.tasks.set(e.challengeId, { points, ts: e.ts });
    }
    row.score += points;
    if (points !== 0 || fresh) {
      row.lastTs = e.ts;
      pushPoint(row, e.ts);
    }
    this.standings.update(row);
    this.invalidate();
    return points;
  }

  /** Counts a new solver; when the value moves, every earlier solver's row follows it. */
  private addSolver(e: Scored, row: BoardRow): number {
    let list = this.solvers.get(e.challengeId);
    if (!list) this.solvers.set(e.challengeId, (list = []));
    const before = this.valueOf(e.challengeId, list.length);
    list.push(row);
    const after = this.valueOf(e.challengeId, list.length);
    if (after === before || list.length === 1) return after;
    const earlier = list.slice(0, -1);
    const delta = after - before;
    for (const r of earlier) {
      r.score += delta;
      const task = r.tasks.get(e.challengeId);
      if (task) task.points += delta;
      // The value moved, not the player: last_ts stays (SPEC §3); the chart records the new score.
      pushPoint(r, e.ts);
      this.markChanged(r, e.id);
    }
    this.standings.updateMany(earlier);
    return after;
  }

  /** The row goes out whole in the next patch and in resumes from before `eventId`. */
  private markChanged(row: BoardRow, eventId: number): void {
    row.changedAt = eventId;
    this.repriced.add(row);
  }

  /** A display name changed (a team row lists its members' names: it goes out in the next patch). */
  rename(u: Unit): void {
    const row = this.rows.get(u.id);
    if (!row) return;
    row.displayname = unitName(u);
    if (u.team !== null) this.repriced.add(row);
    this.standings.update(row);
    this.invalidate();
  }

  /** The rows repriced since the last call, with their overall pos; null when none. */
  takePatch(): StandingRow[] | null {
    if (this.repriced.size === 0) return null;
    const rows = this.standings.pick((r) => this.repriced.has(r));
    this.repriced.clear();
    return rows;
  }

  /** The rows repriced after event `since` (a resume, SPEC §4). */
  repricedAfter(since: number): StandingRow[] {
    return this.standings.pick((r) => r.changedAt > since);
  }

  /** GET /api/scoreboard: the whole board, or one division's rows with `pos` counted within it. */
  scoreboardBody(division: string | null = null): Buffer {
    if (division === null) {
      this.scoreboardCache ??= Buffer.from(JSON.stringify({ standings: this.scoreboardRows() }));
      return this.scoreboardCache;
    }
    const cached = this.division(division);
    cached.body ??= Buffer.from(JSON.stringify({ standings: cached.rows }));
    return cached.body;
  }

  /** The `/api/scoreboard` rows in board order (of one division, `pos` within it); the same array until the board changes. */
  scoreboardRows(division: string | null = null): readonly StandingRow[] {
    if (division !== null) return this.division(division).rows;
    this.rowsCache ??= this.standings.toRows();
    return this.rowsCache;
  }

  private division(name: string): { readonly rows: readonly StandingRow[]; body: Buffer | null } {
    let cached = this.divisionCache.get(name);
    if (!cached) this.divisionCache.set(name, (cached = { rows: this.rowsInOrder(name).map((r, i) => wireRow(r, i + 1)), body: null }));
    return cached;
  }

  /** A unit's index on this board or one division's (pos − 1), or null when it has no row there (a player alone: their id). */
  indexOf(unitId: number, division: string | null = null): number | null {
    const row = this.rows.get(unitId);
    const at = row ? this.rowsInOrder(division).indexOf(row) : -1;
    return at >= 0 ? at : null;
  }

  /** Whole board plus the top-N series; its size depends on players, not events. */
  snapshotBody(lastId: number, now: number, topN: number): Buffer {
    if (this.snapshotCache?.lastId === lastId) return this.snapshotCache.body;
    if (this.snapshotRest === null) {
      const top: SeriesEntry[] = this.standings.top(topN).map((r) => ({ displayname: r.displayname, points: cappedSeries(r, SNAPSHOT_SERIES_CAP) }));
      const rest: Omit<SnapshotMessage, 'type' | 'last_id' | 'ts'> = { standings: this.standings.toRows(), top };
      this.snapshotRest = JSON.stringify(rest).slice(1);
    }
    // A frozen board does not change with later events, but its last_id does.
    const body = Buffer.from(`{"type":"snapshot","last_id":${lastId},"ts":${now},${this.snapshotRest}`);
    this.snapshotCache = { lastId, body };
    return body;
  }

  /** Every row in board order (pos = index + 1), or one division's rows (pos within it). */
  rowsInOrder(division: string | null = null): readonly BoardRow[] {
    const all = this.standings.all();
    return division === null ? all : all.filter((r) => unitDivision(r.unit) === division);
  }

  /** The CTFtime scoreboard feed, of one division when given; `titles` are the tasks (challenge id → title). */
  ctftime(titles: ReadonlyMap<number, string>, division: string | null = null): CtftimeFeed {
    const seconds = (ms: number): number => Math.floor(ms / 1000);
    return {
      tasks: [...titles.values()],
      standings: this.rowsInOrder(division).map((r, i) => {
        const taskStats: Record<string, { points: number; time: number }> = {};
        for (const [id, t] of r.tasks) taskStats[titles.get(id) ?? `#${id}`] = { points: t.points, time: seconds(t.ts) };
        return { pos: i + 1, team: r.displayname, score: r.score, taskStats, lastAccept: seconds(r.lastTs) };
      }),
    };
  }

  clear(): void {
    this.rows.clear();
    this.standings.clear();
    this.solvers.clear();
    this.repriced.clear();
    this.invalidate();
  }

  invalidate(): void {
    this.scoreboardCache = null;
    this.divisionCache.clear();
    this.rowsCache = null;
    this.snapshotRest = null;
    this.snapshotCache = null;
  }
}
