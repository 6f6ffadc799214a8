import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_KEY } from '../domain/obfuscate.js';
import type { SnapshotMessage, StandingRow } from '../protocol/messages.js';
import type { EventRecord, StoredGame } from '../storage/store.js';
import { UNIT_CHALLENGES } from '../../test/helpers/in-process.js';
import { compileGame } from './compiled-game.js';
import { GameState } from './game-state.js';

const USERS = [
  { id: 1, username: 'alice', displayname: 'Alice' },
  { id: 2, username: 'bob', displayname: 'Bob' },
  { id: 3, username: 'carol', displayname: 'Carol' },
];
const EMPTY: StoredGame = { events: [], lastId: 0, reset: { count: 0, afterId: 0 } };
const BONUS = [30, 20, 10];

let nextId = 1;
const base = { hintId: null, reload: false } as const;
const solve = (userId: number, challengeId: number, ts: number): EventRecord => ({ ...base, id: nextId++, userId, challengeId, kind: 'score', points: 1, ts });
const adjust = (userId: number, points: number, ts: number): EventRecord => ({ ...base, id: nextId++, userId, challengeId: 0, kind: 'adjust', points, ts, reason: 'write-up' });
const revoke = (userId: number, challengeId: number, ts: number): EventRecord => ({ ...base, id: nextId++, userId, challengeId, kind: 'revoke', points: 0, ts, reason: 'shared flag' });

function newState(stored: StoredGame = EMPTY, challenges = UNIT_CHALLENGES): GameState {
  nextId = stored.lastId + 1;
  return new GameState(compileGame(challenges, null, DEFAULT_MASK_KEY), USERS, stored, { firstBloodBonus: BONUS });
}

function board(state: GameState): Array<[string, number, number]> {
  const { standings } = JSON.parse(state.scoreboardBody().toString()) as { standings: StandingRow[] };
  return standings.map((r) => [r.displayname, r.score, r.solves]);
}

describe('moderation rules in the game state (SPEC §7, §8)', () => {
  it('a ban takes the player off the board and moves first blood to the next solver; unban restores it', () => {
    const state = newState();
    state.apply(solve(1, 3, 1000)); // Alice first: 50 + 30
    const bob = state.apply(solve(2, 3, 2000)); // Bob second: 50 + 20
    expect(bob?.event).toMatchObject({ blood: 2, points: 70 });
    expect(board(state)).toEqual([['Alice', 80, 1], ['Bob', 70, 1]]);
    expect(state.setPlayerFlags(1, { banReason: 'cheating' })).toBe(true);
    expect(board(state)).toEqual([['Bob', 80, 1]]);
    // The next solver after Bob is now second.
    expect(state.apply(solve(3, 3, 3000))?.event).toMatchObject({ blood: 2, points: 70 });
    expect(state.liveScore(state.playerById(1)!)).toBe(50); // own score: no rank, no bonus
    expect(state.setPlayerFlags(1, { banReason: null })).toBe(true);
    expect(board(state)).toEqual([['Alice', 80, 1], ['Bob', 70, 1], ['Carol', 60, 1]]);
  });

  it('an unranked player scores for themselves only; their events reach only them and admins', () => {
    const state = newState();
    state.setPlayerFlags(2, { unranked: true });
    const applied = state.apply(solve(2, 3, 1000));
    expect(applied?.ownJson).not.toBeNull();
    expect(JSON.parse(applied?.ownJson ?? '{}')).not.toHaveProperty('blood');
    expect(state.liveScore(state.playerById(2)!)).toBe(50);
    state.apply(solve(1, 3, 2000));
    expect(board(state)).toEqual([['Alice', 80, 1]]); // Alice is first blood
    expect(state.setPlayerFlags(2, { unranked: true })).toBe(false);
  });

  it('adjustments count in the score, the order, the chart series and survive a rebuild from the store', () => {
    const live = newState();
    const events = [solve(1, 3, 1000), solve(2, 3, 1500), adjust(2, 25, 2000), adjust(1, -100, 2500)];
    const applied = events.map((e) => live.apply(e));
    expect(applied[2]?.event).toEqual({ id: 3, type: 'adjust', displayname: 'Bob', points: 25, reason: 'write-up', ts: 2000 });
    expect(board(live)).toEqual([['Bob', 95, 1], ['Alice', -20, 1]]);
    const snap = JSON.parse(live.snapshotBody(3000).toString()) as SnapshotMessage;
    expect(snap.top.find((t) => t.displayname === 'Bob')?.points).toEqual([[1500, 70], [2000, 95]]);
    expect(snap.standings[0]).toMatchObject({ displayname: 'Bob', last_ts: 2000 });
    const rebuilt = newState({ events, lastId: 4, reset: { count: 0, afterId: 0 } });
    expect(board(rebuilt)).toEqual(board(live));
    expect(live.resumeJson(2)).toContain('"type":"adjust"');
  });

  it('a revoke cancels the solve, its first blood and what it unlocked; the player may solve again', () => {
    const state = newState();
    const alice = state.playerById(1);
    if (!alice) throw new Error('no alice');
    state.apply(solve(1, 1, 1000)); // Alice first on 1: 130, unlocks 2
    state.apply(solve(2, 1, 1100)); // Bob second: 120
    const ids = (): number[] => (JSON.parse(state.challengesBody(alice).toString()) as Array<{ id: number }>).map((c) => c.id);
    expect(ids()).toEqual([1, 2, 3]);
    const r = state.apply(revoke(1, 1, 1200));
    expect(r).toMatchObject({ resync: true, event: { type: 'revoke', displayname: 'Alice', challenge_id: 1, reason: 'shared flag' } });
    expect(board(state)).toEqual([['Bob', 130, 1]]); // Bob is first blood now
    expect(state.liveScore(alice)).toBe(0);
    expect(ids()).toEqual([1, 3]);
    expect(state.resumeJson(2)).toBeNull(); // a resume across a revoke gets a snapshot
    expect(state.apply(solve(1, 1, 1300))?.event).toMatchObject({ points: 120, blood: 2 });
    expect(board(state)).toEqual([['Bob', 130, 1], ['Alice', 120, 1]]);
  });

  it('rebuilds revokes and re-solves from the store the same way', () => {
    const live = newState();
    const events = [solve(1, 1, 1000), solve(2, 1, 1100), revoke(1, 1, 1200), solve(1, 1, 1300)];
    for (const e of events) live.apply(e);
    const rebuilt = newState({ events, lastId: 4, reset: { count: 0, afterId: 0 } });
    expect(board(rebuilt)).toEqual(board(live));
    expect(rebuilt.liveScore(rebuilt.playerById(1)!)).toBe(120);
  });

  it('reads a solve value from the current game: setGame recomputes every score', () => {
    const state = newState();
    state.apply(solve(1, 3, 1000));
    state.apply(adjust(1, 5, 1100));
    expect(board(state)).toEqual([['Alice', 85, 1]]);
    const repriced = UNIT_CHALLENGES.map((c) => (c.id === 3 ? { ...c, points: 75 } : c));
    state.setGame(compileGame(repriced, null, DEFAULT_MASK_KEY));
    expect(board(state)).toEqual([['Alice', 110, 1]]);
    expect(state.resumeJson(state.lastEventId - 1)).toBeNull();
  });

  it('hidden challenges vanish from lists and the feed tasks but their solves still count', () => {
    const state = newState();
    const alice = state.playerById(1);
    if (!alice) throw new Error('no alice');
    state.apply(solve(1, 3, 1000));
    expect(state.setAdminHidden(new Set([3]))).toBe(true);
    expect(state.setAdminHidden(new Set([3]))).toBe(false);
    expect(state.isHidden(3)).toBe(true);
    expect((JSON.parse(state.challengesBody(alice).toString()) as Array<{ id: number }>).map((c) => c.id)).toEqual([1]);
    expect(state.ctftime().tasks).toEqual(['Challenge 1', 'Challenge 2']);
    expect(board(state)).toEqual([['Alice', 80, 1]]);
  });
});
