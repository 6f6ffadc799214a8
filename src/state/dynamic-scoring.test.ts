import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_KEY } from '../domain/obfuscate.js';
import type { Challenge } from '../domain/types.js';
import type { ChallengeView } from '../protocol/api.js';
import type { BoardMessage, SnapshotMessage, StandingRow } from '../protocol/messages.js';
import type { EventRecord, StoredGame } from '../storage/store.js';
import { compileGame } from './compiled-game.js';
import { GameState, type GameStateOptions } from './game-state.js';

const USERS = [
  { id: 1, username: 'alice', displayname: 'Alice' },
  { id: 2, username: 'bob', displayname: 'Bob' },
  { id: 3, username: 'carol', displayname: 'Carol' },
  { id: 4, username: 'dave', displayname: 'Dave' },
];
const EMPTY: StoredGame = { events: [], lastId: 0, reset: { count: 0, afterId: 0 } };

const base = { title: 'T', category: 'misc', difficulty: 'easy', description: '', hints: [], requirements: [] };
/** 1: linear 100 → 40 by 20 a solve; 2: static 50; 3: parabolic 500 → 100, minimum at 20 solves. */
const CHALLENGES: Challenge[] = [
  { ...base, id: 1, points: 100, flag: '^a$', decay: { function: 'linear', minimum: 40, decay: 20 } },
  { ...base, id: 2, points: 50, flag: '^b$' },
  { ...base, id: 3, points: 500, flag: '^c$', decay: { function: 'parabolic', minimum: 100, decay: 20 } },
];

let nextId = 1;
const solve = (userId: number, challengeId: number, ts: number, points = 1): EventRecord => ({ id: nextId++, userId, challengeId, kind: 'score', hintId: null, points, ts, reload: false });
const hint = (userId: number, cost: number, ts: number): EventRecord => ({ id: nextId++, userId, challengeId: 2, kind: 'hint', hintId: 1, points: -cost, ts, reload: false });

function newState(options: GameStateOptions = {}, challenges = CHALLENGES): GameState {
  nextId = 1;
  return new GameState(compileGame(challenges, null, DEFAULT_MASK_KEY), USERS, EMPTY, options);
}

function board(state: GameState, view: 'public' | 'admin' = 'public'): Array<[string, number, number]> {
  const { standings } = JSON.parse(state.scoreboardBody(view).toString()) as { standings: StandingRow[] };
  return standings.map((r) => [r.displayname, r.score, r.last_ts]);
}

function challenges(state: GameState, userId: number): ChallengeView[] {
  return JSON.parse(state.challengesBody(state.playerById(userId)!).toString()) as ChallengeView[];
}

function patch(json: string | null): BoardMessage | null {
  return json === null ? null : (JSON.parse(json) as BoardMessage);
}

describe('dynamic scoring in the game state (SPEC §9)', () => {
  it('prices every solve at the current value, retroactively, without moving last_ts', () => {
    const state = newState();
    expect(state.apply(solve(1, 1, 1000))?.event).toMatchObject({ points: 100 });
    expect(state.apply(solve(2, 1, 2000))?.event).toMatchObject({ points: 80 });
    expect(board(state)).toEqual([['Alice', 80, 1000], ['Bob', 80, 2000]]);
    expect(state.apply(solve(3, 1, 3000))?.event).toMatchObject({ points: 60 });
    state.apply(solve(3, 2, 3500));
    expect(board(state)).toEqual([['Carol', 110, 3500], ['Alice', 60, 1000], ['Bob', 60, 2000]]);
    for (let u = 1; u <= 3; u++) expect(state.liveScore(state.playerById(u)!)).toBe(u === 3 ? 110 : 60);
  });

  it('sends one board patch per batch with every repriced row and its overall pos, then nothing', () => {
    const state = newState();
    state.apply(solve(1, 1, 1000));
    expect(state.takeBoardPatches(5000)).toEqual({ public: null, admin: null });
    state.apply(solve(4, 2, 1500)); // Dave 50
    state.apply(solve(2, 1, 2000)); // Alice repriced to 80
    state.apply(solve(3, 1, 3000)); // Alice and Bob repriced to 60
    const patches = state.takeBoardPatches(5000);
    expect(patches.admin).toBe(patches.public);
    expect(patch(patches.public)).toEqual({
      type: 'board',
      last_id: 4,
      ts: 5000,
      rows: [
        { pos: 1, displayname: 'Alice', score: 60, solves: 1, last_ts: 1000 },
        { pos: 2, displayname: 'Bob', score: 60, solves: 1, last_ts: 2000 },
      ],
    });
    expect(state.takeBoardPatches(6000)).toEqual({ public: null, admin: null });
    // A resume from before the third solve gets the rows repriced since.
    expect(patch(state.resumeBoardJson(3, 7000, { admin: false, userId: null }))?.rows.map((r) => r.displayname)).toEqual(['Alice', 'Bob']);
    expect(state.resumeBoardJson(4, 7000, { admin: false, userId: null })).toBeNull();
  });

  it('counts neither banned nor unranked players, who still score at the current value', () => {
    const state = newState();
    state.setPlayerFlags(4, { unranked: true });
    state.setPlayerFlags(3, { banReason: 'cheating' });
    state.apply(solve(1, 1, 1000));
    const own = state.apply(solve(4, 1, 2000));
    expect(own?.ownJson && JSON.parse(own.ownJson)).toMatchObject({ points: 100 });
    state.apply(solve(3, 1, 2500));
    expect(board(state)).toEqual([['Alice', 100, 1000]]);
    expect(state.liveScore(state.playerById(4)!)).toBe(100);
    state.apply(solve(2, 1, 3000));
    expect(state.liveScore(state.playerById(4)!)).toBe(80);
    // Unranking Dave no more: he counts, and everyone drops to 60 (a rebuild; sockets get snapshots).
    state.setPlayerFlags(4, { unranked: false });
    expect(board(state)).toEqual([['Alice', 60, 1000], ['Dave', 60, 2000], ['Bob', 60, 3000]]);
  });

  it('shows the value, the solve count and the first three counted solvers on every challenge', () => {
    const state = newState();
    state.setPlayerFlags(4, { unranked: true });
    state.apply(solve(4, 1, 500));
    state.apply(solve(2, 1, 1000));
    state.apply(solve(1, 1, 2000));
    expect(challenges(state, 3)[0]).toMatchObject({ id: 1, points: 80, solves: 2, solved: false, first_solvers: [{ name: 'Bob', ts: 1000 }, { name: 'Alice', ts: 2000 }] });
    state.apply(solve(3, 1, 3000));
    state.setDisplayName(state.playerById(2)!, 'Bobby');
    const c = challenges(state, 1);
    expect(c[0]).toMatchObject({ points: 60, solves: 3, solved: true });
    expect(c[0]?.first_solvers.map((s) => s.name)).toEqual(['Bobby', 'Alice', 'Carol']);
    expect(c[1]).toMatchObject({ id: 2, points: 50, solves: 0, first_solvers: [] });
    expect(c[2]).toMatchObject({ id: 3, points: 500, solves: 0 });
  });

  it('freezes values, counts and first solvers for players; admins see them live', () => {
    const state = newState({ freezeAt: 10_000 });
    state.apply(solve(1, 1, 1000));
    state.apply(solve(2, 1, 11_000)); // after the freeze
    expect(board(state)).toEqual([['Alice', 100, 1000]]);
    expect(board(state, 'admin')).toEqual([['Alice', 80, 1000], ['Bob', 80, 11_000]]);
    expect(challenges(state, 3)[0]).toMatchObject({ points: 100, solves: 1 });
    // Bob's own score is valued at the frozen value.
    expect(state.ownScore(state.playerById(2)!)).toBe(100);
    expect(state.liveScore(state.playerById(2)!)).toBe(80);
    const patches = state.takeBoardPatches(12_000);
    expect(patches.public).toBeNull();
    expect(patch(patches.admin)?.rows).toEqual([{ pos: 1, displayname: 'Alice', score: 80, solves: 1, last_ts: 1000 }]);
    // The reveal: everyone sees the live values.
    state.setFreeze(null);
    expect(board(state)).toEqual([['Alice', 80, 1000], ['Bob', 80, 11_000]]);
    expect(challenges(state, 3)[0]).toMatchObject({ points: 80, solves: 2 });
  });

  it('follows the parabolic formula and records every repricing in the chart series', () => {
    const state = newState();
    for (let u = 1; u <= 3; u++) state.apply(solve(u, 3, u * 1000));
    const snap = JSON.parse(state.snapshotBody(9000).toString()) as SnapshotMessage;
    expect(snap.standings.map((r) => r.score)).toEqual([496, 496, 496]); // n = 2: 500 − 400/400·4
    const alice = snap.top.find((t) => t.displayname === 'Alice');
    expect(alice?.points).toEqual([
      [1000, 500],
      [2000, 499],
      [3000, 496],
    ]);
  });

  it('caps each top-10 series in the snapshot at 500 points', () => {
    const many = Array.from({ length: 700 }, (_, i) => ({ ...base, id: 100 + i, points: 10, flag: `^f${i}$` }));
    const state = newState({}, many);
    for (let i = 0; i < 700; i++) state.apply(solve(1, 100 + i, 1000 + i));
    const snap = JSON.parse(state.snapshotBody(9000).toString()) as SnapshotMessage;
    const series = snap.top[0]?.points ?? [];
    expect(series).toHaveLength(500);
    expect(series[series.length - 1]).toEqual([1699, 7000]);
    // Rows leave out unset keys: no division here.
    expect(Object.keys(snap.standings[0] ?? {})).toEqual(['pos', 'displayname', 'score', 'solves', 'last_ts']);
  });

  it('lets the store check hints against the live score: credit = live score − recorded points', () => {
    const state = newState();
    state.apply(solve(1, 1, 1000, 100)); // recorded at 100
    state.apply(solve(2, 1, 2000, 80));
    state.apply(hint(1, 30, 2500));
    const alice = state.playerById(1)!;
    expect(state.liveScore(alice)).toBe(80 - 30);
    expect(alice.unit.recorded).toBe(100 - 30);
    expect(state.hintCredit(alice)).toBe(-20);
  });

  it('a reload with a new decay reprices every past solve', () => {
    const state = newState();
    for (let u = 1; u <= 3; u++) state.apply(solve(u, 1, u * 1000));
    const steeper = CHALLENGES.map((c) => (c.id === 1 ? { ...c, decay: { function: 'linear' as const, minimum: 10, decay: 45 } } : c));
    state.setGame(compileGame(steeper, null, DEFAULT_MASK_KEY));
    expect(board(state).map(([, score]) => score)).toEqual([10, 10, 10]); // 100 − 90 = 10
    expect(state.takeBoardPatches(0)).toEqual({ public: null, admin: null }); // a snapshot follows a reload
  });
});
