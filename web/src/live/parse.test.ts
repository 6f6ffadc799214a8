import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './parse.js';

describe('scorestream parsing of admin events (SPEC §8)', () => {
  it('keeps adjust events and drops revoke events (a snapshot follows them)', () => {
    const adjust = { id: 5, type: 'adjust', displayname: 'Ann', points: -20, reason: 'abuse', ts: 1 };
    const revoke = { id: 6, type: 'revoke', displayname: 'Ann', challenge_id: 2, reason: 'shared', ts: 2 };
    expect(parseServerMessage(JSON.stringify([adjust, revoke]))).toEqual({ kind: 'events', events: [adjust] });
  });
});

describe('scorestream parsing of board patches (SPEC §9)', () => {
  it('keeps well-formed rows and refuses a patch without last_id', () => {
    const row = { pos: 1, displayname: 'a', score: 5, solves: 1, last_ts: 3 };
    expect(parseServerMessage(JSON.stringify({ type: 'board', last_id: 4, ts: 9, rows: [row, { pos: 2 }] }))).toEqual({
      kind: 'board',
      board: { type: 'board', last_id: 4, ts: 9, rows: [row] },
    });
    expect(parseServerMessage(JSON.stringify({ type: 'board', rows: [row] }))).toBeNull();
  });
});
