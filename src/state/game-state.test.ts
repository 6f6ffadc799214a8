import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_KEY } from '../domain/obfuscate.js';
import type { StandingRow } from '../protocol/messages.js';
import type { EventRecord, StoredGame } from '../storage/store.js';
import { UNIT_CHALLENGES } from '../../test/helpers/in-process.js';
import { compileGame } from './compiled-game.js';
import { GameState } from './game-state.js';

const USERS = [
  { id: 1, username: 'alice', displayname: 'Alice' },
  { id: 2, username: 'bob', displayname: 'Bob' },
  { id: 3, username: 'carol', displayname: null },
  { id: 4, username: 'dave', displayname: 'Dave' },
];
const EMPTY: StoredGame = { events: [], lastId: 0, reset: { count: 0, afterId: 0 } };

let nextId = 1;
function solve(userId: number, challengeId: number, points: number, ts: number): EventRecord {
  return { id: nextId++, userId, challengeId, kind: 'score', hintId: null, points, ts, reload: false };
}
function hint(userId: number, challengeId: number, hintId: number, cost: number, ts: number): EventRecord {
  return { id: nextId++, userId, challengeId, kind: 'hint', hintId, points: -cost, ts, reload: false };
}

function newState(stored: StoredGame = EMPTY): GameState {
  nextId = stored.lastId + 1;
  return new GameState(compileGame(UNIT_CHALLENGES, null, DEFAULT_MASK_KEY), USERS, stored);
}

function board(state: GameState): Array<Pick<StandingRow, 'pos' | 'displayname' | 'score' | 'last_ts'>> {
  const { standings } = JSON.parse(state.scoreboardBody().toString()) as { standings: StandingRow[] };
  return standings.map(({ pos, displayname, score, last_ts }) => ({ pos, displayname, score, last_ts }));
}

describe('GameState', () => {
  it('orders by score, then the earlier last score change, then display name (SPEC §3)', () => {
    const state = newState();
    state.apply(solve(2, 3, 50, 1000)); // Bob 50 @1000
    state.apply(solve(1, 3, 50, 2000)); // Alice 50 @2000: tie on score, later
    state.apply(solve(4, 3, 50, 1000)); // Dave 50 @1000: tie on score and time, name after Bob
    state.apply(solve(3, 1, 100, 3000)); // carol (no display name) leads
    expect(board(state)).toEqual([
      { pos: 1, displayname: 'carol', score: 100, last_ts: 3000 },
      { pos: 2, displayname: 'Bob', score: 50, last_ts: 1000 },
      { pos: 3, displayname: 'Dave', score: 50, last_ts: 1000 },
      { pos: 4, displayname: 'Alice', score: 50, last_ts: 2000 },
    ]);
  });

  it('puts a player on the board at a free hint without moving last_ts later; a priced hint moves it', () => {
    const state = newState();
    state.apply(hint(1, 1, 1, 0, 500));
    expect(board(state)).toEqual([{ pos: 1, displayname: 'Alice', score: 0, last_ts: 500 }]);
    state.apply(solve(1, 3, 50, 1000));
    state.apply(hint(1, 1, 2, 30, 2000));
    state.apply(solve(2, 3, 50, 1500));
    state.apply(hint(2, 1, 1, 0, 9000)); // free: Bob keeps 1500
    expect(board(state)).toEqual([
      { pos: 1, displayname: 'Bob', score: 50, last_ts: 1500 },
      { pos: 2, displayname: 'Alice', score: 20, last_ts: 2000 },
    ]);
  });

  it('applies an event once and serves it for resuming clients', () => {
    const state = newState();
    const first = solve(1, 1, 100, 1000);
    const live = state.apply(first);
    expect(live?.event).toMatchObject({ id: first.id, type: 'score', displayname: 'Alice', challenge_id: 1, challenge: 'Challenge 1', points: 100 });
    expect(state.apply({ ...first, id: first.id + 1 })).toBeNull();
    expect(state.liveScore(state.playerById(1)!)).toBe(100);
    expect(state.lastEventId).toBe(first.id);
    expect(JSON.parse(state.resumeJson(0) ?? 'null')).toHaveLength(1);
    expect(JSON.parse(state.resumeJson(first.id) ?? 'null')).toEqual([]);
  });

  it('shows a challenge only once its requirements are solved', () => {
    const state = newState();
    const alice = state.playerById(1);
    if (!alice) throw new Error('no alice');
    const ids = (): number[] => (JSON.parse(state.challengesBody(alice).toString()) as Array<{ id: number }>).map((c) => c.id);
    expect(ids()).toEqual([1, 3]);
    state.apply(solve(1, 1, 100, 1000));
    expect(ids()).toEqual([1, 2, 3]);
  });

  it('rebuilds the same board from stored events as from live ones', () => {
    const live = newState();
    const events = [solve(1, 1, 100, 1000), hint(2, 1, 1, 0, 1100), solve(2, 3, 50, 1200)];
    for (const e of events) live.apply(e);
    const rebuilt = newState({ events, lastId: 3, reset: { count: 0, afterId: 0 } });
    expect(board(rebuilt)).toEqual(board(live));
    expect(rebuilt.lastEventId).toBe(3);
  });

  it('reset empties the board, progress and names; later ids continue', () => {
    const state = newState();
    state.apply(solve(1, 1, 100, 1000));
    state.apply(solve(2, 3, 50, 1000));
    state.reset(2);
    expect(board(state)).toEqual([]);
    expect(state.playerById(1)).toMatchObject({ unit: { flat: 0 }, displayname: null });
    expect(state.playerById(1)?.unit.solved.size).toBe(0);
    expect(state.lastEventId).toBe(2);
    expect(state.apply(solve(1, 1, 100, 5000))?.event.id).toBe(3);
    expect(board(state)).toEqual([{ pos: 1, displayname: 'alice', score: 100, last_ts: 5000 }]);
  });
});
