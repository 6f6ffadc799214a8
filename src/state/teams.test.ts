import { describe, expect, it } from 'vitest';
import { DEFAULT_MASK_KEY } from '../domain/obfuscate.js';
import type { ChallengeView } from '../protocol/api.js';
import type { StandingRow } from '../protocol/messages.js';
import type { EventRecord, StoredGame } from '../storage/store.js';
import { UNIT_CHALLENGES } from '../../test/helpers/in-process.js';
import { compileGame } from './compiled-game.js';
import { GameState } from './game-state.js';

const USERS = [
  { id: 1, username: 'alice', displayname: 'Alice' },
  { id: 2, username: 'bob', displayname: 'Bob' },
  { id: 3, username: 'carol', displayname: 'Carol' },
];
const ROSTER = [
  { username: 'alice', password: 'a', team: 'Red Team', division: 'Open' },
  { username: 'bob', password: 'b', team: 'Red Team', division: 'Open' },
  { username: 'carol', password: 'c', team: 'Blue Team' },
];
const EMPTY: StoredGame = { events: [], lastId: 0, reset: { count: 0, afterId: 0 } };

let nextId = 1;
const base = { hintId: null, reload: false } as const;
const solve = (userId: number, challengeId: number, ts: number): EventRecord => ({ ...base, id: nextId++, userId, challengeId, kind: 'score', points: 1, ts });
const hint = (userId: number, challengeId: number, hintId: number, cost: number, ts: number): EventRecord => ({ ...base, id: nextId++, userId, challengeId, kind: 'hint', hintId, points: -cost, ts });
const adjust = (userId: number, points: number, ts: number): EventRecord => ({ ...base, id: nextId++, userId, challengeId: 0, kind: 'adjust', points, ts, reason: 'write-up' });
const revoke = (userId: number, challengeId: number, ts: number): EventRecord => ({ ...base, id: nextId++, userId, challengeId, kind: 'revoke', points: 0, ts, reason: 'shared' });

function newState(stored: StoredGame = EMPTY): GameState {
  nextId = stored.lastId + 1;
  return new GameState(compileGame(UNIT_CHALLENGES, null, DEFAULT_MASK_KEY), USERS, stored, { firstBloodBonus: [30, 20, 10], roster: ROSTER });
}

function rows(state: GameState): StandingRow[] {
  return (JSON.parse(state.scoreboardBody().toString()) as { standings: StandingRow[] }).standings;
}

function items(state: GameState, userId: number): ChallengeView[] {
  return JSON.parse(state.challengesBody(state.playerById(userId)!).toString()) as ChallengeView[];
}

describe('team folding (SPEC §9)', () => {
  it('a member’s solve is the team’s: counted once, solved for teammates, requirements on team solves', () => {
    const state = newState();
    expect(state.teamMode).toBe(true);
    const first = state.apply(solve(1, 1, 1000));
    expect(first?.event).toMatchObject({ displayname: 'Alice', team: 'Red Team', points: 130, blood: 1, division: 'Open' });
    expect(state.apply(solve(2, 1, 1100))).toBeNull(); // a teammate's duplicate
    // The event names one member: the new team row follows whole, members included, in the batch's patch.
    const patch = JSON.parse(state.takeBoardPatches(1200).public ?? 'null') as { rows: StandingRow[] } | null;
    expect(patch?.rows).toEqual([expect.objectContaining({ displayname: 'Red Team', members: ['Alice', 'Bob'], score: 130 })]);
    const bob = items(state, 2);
    expect(bob.find((c) => c.id === 1)).toMatchObject({ solved: true, solves: 1, first_solvers: [{ name: 'Red Team', ts: 1000 }] });
    expect(bob.map((c) => c.id)).toContain(2); // 2 requires 1: open for the whole team
    expect(state.liveScore(state.playerById(2)!)).toBe(130);
    state.apply(solve(3, 1, 2000)); // Blue: second blood
    expect(rows(state)).toEqual([
      { pos: 1, displayname: 'Red Team', team: 'Red Team', members: ['Alice', 'Bob'], score: 130, solves: 1, last_ts: 1000, division: 'Open' },
      { pos: 2, displayname: 'Blue Team', team: 'Blue Team', members: ['Carol'], score: 120, solves: 1, last_ts: 2000 },
    ]);
  });

  it('hints and adjustments of any member count for the team', () => {
    const state = newState();
    state.apply(solve(1, 1, 1000));
    state.apply(hint(2, 1, 1, 0, 1100));
    expect(state.apply(hint(1, 1, 1, 0, 1150))).toBeNull(); // already bought by the team
    state.apply(hint(2, 1, 2, 30, 1200));
    state.apply(adjust(1, 5, 1300));
    expect(items(state, 1).find((c) => c.id === 1)?.hints.map((h) => h.text)).toEqual(['free', 'priced']);
    expect(rows(state)[0]).toMatchObject({ displayname: 'Red Team', score: 130 - 30 + 5, last_ts: 1300 });
  });

  it('a ban or unranking of one member takes the whole team off the board; first blood moves on', () => {
    const state = newState();
    state.apply(solve(1, 1, 1000));
    state.apply(solve(3, 1, 2000));
    expect(state.setPlayerFlags(2, { unranked: true })).toBe(true);
    expect(rows(state).map((r) => [r.displayname, r.score])).toEqual([['Blue Team', 130]]);
    expect(state.setPlayerFlags(2, { unranked: false })).toBe(true);
    expect(rows(state).map((r) => [r.displayname, r.score])).toEqual([
      ['Red Team', 130],
      ['Blue Team', 120],
    ]);
  });

  it('a revoke naming any member cancels the team’s solve; the team may solve it again', () => {
    const state = newState();
    state.apply(solve(1, 1, 1000));
    expect(state.solverOf(state.playerById(2)!, 1)?.username).toBe('alice');
    state.apply(revoke(1, 1, 1500));
    expect(rows(state)).toEqual([]);
    expect(items(state, 2).find((c) => c.id === 1)?.solved).toBe(false);
    expect(state.apply(solve(2, 1, 1600))?.event).toMatchObject({ displayname: 'Bob', team: 'Red Team', blood: 1 });
  });

  it('during a freeze a member’s solve reaches the whole team (and admins) only', () => {
    nextId = 1;
    const state = new GameState(compileGame(UNIT_CHALLENGES, null, DEFAULT_MASK_KEY), USERS, EMPTY, { roster: ROSTER, freezeAt: 500 });
    const live = state.apply(solve(1, 1, 1000));
    expect(live?.owners).toEqual([1, 2]);
    expect(JSON.parse(state.resumeJson(0, { admin: false, userId: 2 }) ?? '[]')).toHaveLength(1);
    expect(JSON.parse(state.resumeJson(0, { admin: false, userId: 3 }) ?? '[]')).toHaveLength(0);
    expect(state.ownScore(state.playerById(2)!)).toBe(100);
  });

  it('rebuilds from the store with teams, revokes included', () => {
    const events = [solve(1, 1, 1000), hint(2, 1, 1, 0, 1100), solve(3, 3, 1200), revoke(1, 1, 1300), solve(2, 1, 1400)];
    const state = newState({ events, lastId: events.length, reset: { count: 0, afterId: 0 } });
    expect(rows(state).map((r) => [r.displayname, r.score])).toEqual([
      ['Red Team', 130],
      ['Blue Team', 80],
    ]);
  });
});
