import type { CtftimeFeed } from '../protocol/api.js';
import type { SeriesEntry, SnapshotMessage, StandingRow } from '../protocol/messages.js';
import type { EventKind } from '../storage/store.js';
import { shownName, type Player } from './player.js';
import { newRow, Standings, type BoardRow } from './standings.js';

/** One event as a board counts it: a solve's points are its current value, not the recorded one. */
export interface Scored {
  readonly kind: EventKind;
  readonly challengeId: number;
  readonly points: number;
  readonly ts: number;
}

/**
 * One view of the standings: the live board, or the board as it was at the
 * freeze (built from the events before it). Serialized answers are cached as
 * bytes until the board changes.
 */
export class Board {
  private readonly rows = new Map<number, BoardRow>();
  private readonly standings = new Standings();
  private scoreboardCache: Buffer | null = null;
  /** the rows of scoreboardBody; a new array per change, so HTTP caches can key on its identity */
  private rowsCache: readonly StandingRow[] | null = null;
  /** standings and top series, serialized; the snapshot wraps them with its last_id */
  private snapshotRest: string | null = null;
  private snapshotCache: { readonly lastId: number; readonly body: Buffer } | null = null;

  get size(): number {
    return this.standings.size;
  }

  /** Folds in one event (already known to be new for this player). */
  apply(e: Scored, p: Player): void {
    let row = this.rows.get(p.id);
    const fresh = !row;
    if (!row) this.rows.set(p.id, (row = newRow(p)));
    if (e.kind === 'score') {
      row.solves++;
      row.tasks.set(e.challengeId, { points: e.points, ts: e.ts });
    }
    row.score += e.points;
    if (e.points !== 0 || fresh) {
      row.lastTs = e.ts;
      row.series.push([e.ts, row.score]);
    }
    this.standings.update(row);
    this.invalidate();
  }

  /** A display name changed. */
  rename(p: Player): void {
    const row = this.rows.get(p.id);
    if (!row) return;
    this.standings.update(row);
    this.invalidate();
  }

  scoreboardBody(): Buffer {
    this.scoreboardCache ??= Buffer.from(JSON.stringify({ standings: this.scoreboardRows() }));
    return this.scoreboardCache;
  }

  /** The `/api/scoreboard` rows in board order; the same array until the board changes. */
  scoreboardRows(): readonly StandingRow[] {
    this.rowsCache ??= this.standings.toRows();
    return this.rowsCache;
  }

  /** A player's index on this board (pos − 1), or null when they have no row. */
  indexOf(playerId: number): number | null {
    const row = this.rows.get(playerId);
    const at = row ? this.standings.all().indexOf(row) : -1;
    return at >= 0 ? at : null;
  }

  /** Whole board plus the top-N series; its size depends on players, not events. */
  snapshotBody(lastId: number, now: number, topN: number): Buffer {
    if (this.snapshotCache?.lastId === lastId) return this.snapshotCache.body;
    if (this.snapshotRest === null) {
      const top: SeriesEntry[] = this.standings.top(topN).map((r) => ({ displayname: shownName(r.player), points: r.series }));
      const rest: Omit<SnapshotMessage, 'type' | 'last_id' | 'ts'> = { standings: this.standings.toRows(), top };
      this.snapshotRest = JSON.stringify(rest).slice(1);
    }
    // A frozen board does not change with later events, but its last_id does.
    const body = Buffer.from(`{"type":"snapshot","last_id":${lastId},"ts":${now},${this.snapshotRest}`);
    this.snapshotCache = { lastId, body };
    return body;
  }

  /** Every row in board order (pos = index + 1), for the results export. */
  rowsInOrder(): readonly BoardRow[] {
    return this.standings.all();
  }

  /** The CTFtime scoreboard feed; `titles` are the tasks (challenge id → title). */
  ctftime(titles: ReadonlyMap<number, string>): CtftimeFeed {
    const seconds = (ms: number): number => Math.floor(ms / 1000);
    return {
      tasks: [...titles.values()],
      standings: this.standings.all().map((r, i) => {
        const taskStats: Record<string, { points: number; time: number }> = {};
        for (const [id, t] of r.tasks) taskStats[titles.get(id) ?? `#${id}`] = { points: t.points, time: seconds(t.ts) };
        return { pos: i + 1, team: shownName(r.player), score: r.score, taskStats, lastAccept: seconds(r.lastTs) };
      }),
    };
  }

  clear(): void {
    this.rows.clear();
    this.standings.clear();
    this.invalidate();
  }

  invalidate(): void {
    this.scoreboardCache = null;
    this.rowsCache = null;
    this.snapshotRest = null;
    this.snapshotCache = null;
  }
}
