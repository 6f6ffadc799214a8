import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../src/protocol/messages.js';
import { applyTicker, firstBloods } from './blood.js';

const solve = (id: number, blood?: 1 | 2 | 3): LiveEvent => ({
  id,
  type: 'score',
  displayname: `p${id}`,
  ts: id * 1000,
  challenge_id: 7,
  challenge: 'Vault',
  points: 100,
  ...(blood === undefined ? {} : { blood }),
});
const hint = (id: number): LiveEvent => ({ id, type: 'hint', displayname: 'h', ts: id, challenge_id: 7, challenge: 'Vault', points: -10, hint_id: 1 });

describe('firstBloods', () => {
  it('celebrates blood 1 only, for whoever solved it', () => {
    expect(firstBloods([solve(1, 1), solve(2, 2), solve(3, 3), solve(4), hint(5)])).toEqual([{ id: 1, text: 'First blood: p1 on Vault' }]);
    expect(firstBloods([{ ...hint(6), blood: 1 }])).toEqual([]);
  });
});

describe('applyTicker', () => {
  it('keeps solves newest first with their blood, drops hints and duplicates, and is bounded', () => {
    let t = applyTicker([], [solve(1, 1), hint(2), solve(3, 2)]);
    expect(t.map((x) => [x.id, x.blood])).toEqual([
      [3, 2],
      [1, 1],
    ]);
    const same = applyTicker(t, [solve(3, 2), hint(4)]);
    expect(same).toBe(t);
    t = applyTicker(t, [solve(5), solve(6), solve(7)], 4);
    expect(t.map((x) => x.id)).toEqual([7, 6, 5, 3]);
    expect(t[0]?.blood).toBeNull();
  });
});
