import { describe, expect, it } from 'vitest';
import type { AdminSubmission } from '../../../src/protocol/console.js';
import { matchesFilter, mergeSubmissions, NO_FILTER, oldestId, parseSubmission } from './submissions.js';

const sub = (id: number, over: Partial<AdminSubmission> = {}): AdminSubmission => ({
  id,
  ts: 1000 + id,
  username: 'player1',
  displayname: 'Ada',
  challenge_id: 3,
  result: 'incorrect',
  flag: 'nope',
  address: '127.0.0.1',
  ...over,
});

describe('submissions tail', () => {
  it('parses submission messages and ignores everything else', () => {
    const msg = { type: 'submission', ...sub(7) };
    expect(parseSubmission(JSON.stringify(msg))).toEqual(sub(7));
    expect(parseSubmission(JSON.stringify([{ id: 1, type: 'score' }]))).toBeNull();
    expect(parseSubmission('{"type":"submission","id":"x"}')).toBeNull();
    expect(parseSubmission('not json "submission"')).toBeNull();
    expect(parseSubmission(JSON.stringify({ ...msg, result: 'maybe' }))).toBeNull();
    expect(parseSubmission(JSON.stringify({ type: 'submission', id: 2, ts: 1, username: 'u', challenge_id: 1, result: 'correct' }))).toMatchObject({
      displayname: 'u',
      flag: '',
      address: '',
    });
  });

  it('filters by player (case-insensitive), challenge and result', () => {
    expect(matchesFilter(sub(1), NO_FILTER)).toBe(true);
    expect(matchesFilter(sub(1), { ...NO_FILTER, username: 'PLAYER1' })).toBe(true);
    expect(matchesFilter(sub(1), { ...NO_FILTER, username: 'player2' })).toBe(false);
    expect(matchesFilter(sub(1), { ...NO_FILTER, challengeId: 3 })).toBe(true);
    expect(matchesFilter(sub(1), { ...NO_FILTER, challengeId: 4 })).toBe(false);
    expect(matchesFilter(sub(1), { ...NO_FILTER, result: 'correct' })).toBe(false);
    expect(matchesFilter(sub(1, { result: 'correct' }), { ...NO_FILTER, result: 'correct' })).toBe(true);
  });

  it('merges newest first without duplicates, capped', () => {
    const merged = mergeSubmissions([sub(5), sub(3)], [sub(6), sub(5, { flag: 'live' }), sub(4)]);
    expect(merged.map((s) => s.id)).toEqual([6, 5, 4, 3]);
    expect(merged[1]?.flag).toBe('live');
    expect(mergeSubmissions([sub(1), sub(2), sub(3)], [], 2).map((s) => s.id)).toEqual([3, 2]);
    expect(oldestId(merged)).toBe(3);
    expect(oldestId([])).toBeNull();
  });
});
