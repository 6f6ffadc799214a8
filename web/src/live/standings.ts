/**
 * The scoreboard model: a pure reducer that starts from the scorestream snapshot and applies live
 * events incrementally, so the table and chart move within a frame of a solve anywhere without
 * refetching the whole board.
 */
import { compareStandings as compareDomain } from '../../../src/domain/rules.js';
import type { ScoreboardResponse } from '../../../src/protocol/api.js';
import type { BoardMessage, LiveEvent, SnapshotMessage, StandingRow } from '../../../src/protocol/messages.js';
import { isLiveEvent, type PlayEvent } from './parse.js';

export type ScorePoint = readonly [ts: number, score: number];

export interface StandingsState {
  /** id of the newest event folded in; events at or below it are duplicates */
  readonly lastId: number;
  /** rows in SPEC order with 1-based `pos` */
  readonly rows: readonly StandingRow[];
  /** known score history per player (top-10 from the snapshot, plus anyone who scored since) */
  readonly series: ReadonlyMap<string, readonly ScorePoint[]>;
  /** newest first, for the activity feed */
  readonly recent: readonly LiveEvent[];
  /** 'rest' when seeded from GET /api/scoreboard before the stream answered */
  readonly source: 'snapshot' | 'rest';
}

const RECENT_MAX = 12;
/** A 3-hour game yields a few dozen points per player; the cap only guards runaway memory. */
const SERIES_MAX = 2_000;

export const EMPTY_STANDINGS: StandingsState = {
  lastId: 0,
  rows: [],
  series: new Map(),
  recent: [],
  source: 'rest',
};

/**
 * SPEC order: score desc, then the earlier last score-changing event, then display name. Delegates
 * to the server's own rule so the browser can never sort differently from GET /api/scoreboard.
 */
export function compareStandings(a: Omit<StandingRow, 'pos'>, b: Omit<StandingRow, 'pos'>): number {
  return compareDomain(
    { displayname: a.displayname, score: a.score, solves: a.solves, lastTs: a.last_ts },
    { displayname: b.displayname, score: b.score, solves: b.solves, lastTs: b.last_ts },
  );
}

function rank(rows: Iterable<Omit<StandingRow, 'pos'>>): StandingRow[] {
  return [...rows].sort(compareStandings).map((r, i) => ({ ...r, pos: i + 1 }));
}

/** The snapshot replaces everything: it is the server's truth at `last_id`. */
export function fromSnapshot(msg: SnapshotMessage): StandingsState {
  const series = new Map<string, ScorePoint[]>();
  for (const entry of msg.top) {
    series.set(entry.displayname, entry.points.map(([ts, score]) => [ts, score] as const));
  }
  return {
    lastId: msg.last_id,
    // Keep the server's order and positions verbatim; we only re-rank when events arrive.
    rows: msg.standings.map((r) => ({ ...r })),
    series,
    recent: [],
    source: 'snapshot',
  };
}

/** A REST seed for the table while the stream is still connecting; the snapshot supersedes it. */
export function fromScoreboard(resp: ScoreboardResponse): StandingsState {
  return { ...EMPTY_STANDINGS, rows: resp.standings.map((r) => ({ ...r })), series: new Map(), source: 'rest' };
}

/**
 * Folds events into the state. Events with id ≤ lastId are ignored, which makes the reducer safe
 * against the overlap a resumed connection may replay. Returns the same object when nothing changed
 * so UI memoisation stays cheap.
 */
export function applyEvents(state: StandingsState, events: readonly PlayEvent[]): StandingsState {
  const fresh = events.filter((e) => e.id > state.lastId).sort((a, b) => a.id - b.id);
  if (fresh.length === 0) return state;

  const players = new Map<string, Omit<StandingRow, 'pos'>>();
  for (const { pos: _pos, ...r } of state.rows) players.set(r.displayname, r);
  const series = new Map(state.series);
  let lastId = state.lastId;

  for (const e of fresh) {
    if (e.id <= lastId) continue; // duplicates inside one batch
    lastId = e.id;
    // In team mode an event names the player and the team; the row is the team's (SPEC §9).
    const key = e.team ?? e.displayname;
    const prev = players.get(key);
    const next = {
      ...prev,
      displayname: key,
      score: (prev?.score ?? 0) + e.points,
      solves: (prev?.solves ?? 0) + (e.type === 'score' ? 1 : 0),
      // A free hint is not a score-changing event, so it does not move the tie-break time; a
      // player whose first event is one is timed by that event (as the server does).
      last_ts: e.points !== 0 || !prev ? e.ts : prev.last_ts,
      ...(e.division !== undefined ? { division: e.division } : {}),
      ...(e.team !== undefined ? { team: e.team } : {}),
    };
    players.set(key, next);

    if (e.points !== 0) {
      let history = series.get(key);
      if (!history) {
        // We never saw this player's history; their score at last_ts is the best starting point.
        history = prev && prev.last_ts > 0 ? [[prev.last_ts, prev.score]] : [];
      }
      const grown = [...history, [e.ts, next.score] as const];
      series.set(key, grown.length > SERIES_MAX ? grown.slice(-SERIES_MAX) : grown);
    }
  }

  // Adjustments move scores but are not solves or hints: the feed leaves them out.
  const recent = fresh.filter(isLiveEvent).reverse().concat(state.recent).slice(0, RECENT_MAX);
  return { lastId, rows: rank(players.values()), series, recent, source: state.source };
}

/** Appends a point to a player's history, starting it from their last known score when we had none. */
function grow(history: readonly ScorePoint[] | undefined, prev: Omit<StandingRow, 'pos'> | undefined, point: ScorePoint): ScorePoint[] {
  const start: readonly ScorePoint[] = history ?? (prev && prev.last_ts > 0 ? [[prev.last_ts, prev.score]] : []);
  const grown = [...start, point];
  return grown.length > SERIES_MAX ? grown.slice(-SERIES_MAX) : grown;
}

/**
 * Rows repriced by dynamic scoring (SPEC §9): each replaces the row of the same name (the events
 * before it are already folded in), the chart records the new score at the message's time, and
 * the table is re-ranked.
 */
export function applyBoard(state: StandingsState, msg: BoardMessage): StandingsState {
  if (msg.rows.length === 0) return state;
  const players = new Map<string, Omit<StandingRow, 'pos'>>();
  for (const { pos: _pos, ...r } of state.rows) players.set(r.displayname, r);
  const series = new Map(state.series);
  for (const { pos: _pos, ...row } of msg.rows) {
    const prev = players.get(row.displayname);
    players.set(row.displayname, row);
    if (prev?.score !== row.score) series.set(row.displayname, grow(series.get(row.displayname), prev, [msg.ts, row.score]));
  }
  return { ...state, rows: rank(players.values()), series };
}

/** A scorestream item the board folds in: an event batch's events, or a board patch. */
export type LiveItem = PlayEvent | BoardMessage;

/** Folds events and board patches in arrival order. */
export function applyLive(state: StandingsState, items: readonly LiveItem[]): StandingsState {
  let next = state;
  let events: PlayEvent[] = [];
  for (const item of items) {
    if (item.type !== 'board') {
      events.push(item);
      continue;
    }
    next = applyBoard(applyEvents(next, events), item);
    events = [];
  }
  return applyEvents(next, events);
}

/** The divisions on the board, in order of first appearance (SPEC §9). */
export function divisionsOf(rows: readonly StandingRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) if (r.division !== undefined) seen.add(r.division);
  return [...seen];
}

/** One division's board: its rows only, `pos` counted within it; null is the whole board. */
export function inDivision(state: StandingsState, division: string | null): StandingsState {
  if (division === null) return state;
  const rows = state.rows.filter((r) => r.division === division).map((r, i) => ({ ...r, pos: i + 1 }));
  return { ...state, rows };
}

export interface ChartSeries {
  readonly displayname: string;
  readonly points: readonly ScorePoint[];
}

/**
 * Score-over-time lines for the current top `n`. Every line starts at 0 at the first known moment
 * of the game so late starters are visibly late, and extends to `now` so leaders' plateaus show.
 */
export function topSeries(state: StandingsState, now: number, n = 10): ChartSeries[] {
  const top = state.rows.slice(0, n).filter((r) => r.score !== 0 || r.solves > 0);
  const known = top.map((r) => {
    const pts = state.series.get(r.displayname);
    return { row: r, pts: pts && pts.length > 0 ? pts : r.last_ts > 0 ? [[r.last_ts, r.score] as const] : [] };
  });
  let start = Infinity;
  for (const k of known) {
    const first = k.pts[0];
    if (first && first[0] < start) start = first[0];
  }
  return known.map(({ row, pts }) => {
    const out: ScorePoint[] = [];
    const first = pts[0];
    if (Number.isFinite(start) && (!first || first[1] !== 0)) out.push([first ? Math.min(start, first[0]) : start, 0]);
    out.push(...pts);
    const last = out[out.length - 1];
    const end = Math.max(now, last ? last[0] : now);
    out.push([end, row.score]);
    return { displayname: row.displayname, points: out };
  });
}

export function findRow(state: StandingsState, displayname: string | null): StandingRow | undefined {
  if (displayname === null) return undefined;
  return state.rows.find((r) => r.displayname === displayname);
}
