import { describe, expect, it } from 'vitest';
import { parseServerMessage } from './parse.js';

describe('scorestream parsing of admin events (SPEC §8)', () => {
  it('keeps adjust events and drops revoke events (a snapshot follows them)', () => {
    const adjust = { id: 5, type: 'adjust', displayname: 'Ann', points: -20, reason: 'abuse', ts: 1 };
    const revoke = { id: 6, type: 'revoke', displayname: 'Ann', challenge_id: 2, reason: 'shared', ts: 2 };
    expect(parseServerMessage(JSON.stringify([adjust, revoke]))).toEqual({ kind: 'events', events: [adjust] });
  });
});
