import { describe, expect, it } from 'vitest';
import { compareStandings, decideHintPurchase, isVisible } from './rules.js';
import type { Challenge } from './types.js';

const challenge: Challenge = {
  id: 3,
  title: 't',
  category: 'c',
  difficulty: 'd',
  points: 100,
  description: '',
  flag: '^x$',
  hints: [
    { id: 7, text: 'a', cost: 0 },
    { id: 2, text: 'b', cost: 20 },
    { id: 9, text: 'c', cost: 30 },
  ],
  requirements: [1, 2],
};

describe('isVisible', () => {
  it('needs every requirement solved', () => {
    expect(isVisible(challenge, new Set([1]))).toBe(false);
    expect(isVisible(challenge, new Set([1, 2]))).toBe(true);
    expect(isVisible({ ...challenge, requirements: [] }, new Set())).toBe(true);
  });
});

describe('decideHintPurchase', () => {
  it('sells hints in array order, not id order', () => {
    expect(decideHintPurchase(challenge, 2, new Set(), 100)).toEqual({ ok: false, error: 'locked' });
    expect(decideHintPurchase(challenge, 7, new Set(), 0)).toEqual({ ok: true, cost: 0, previousHintId: null });
    expect(decideHintPurchase(challenge, 2, new Set([7]), 20)).toEqual({ ok: true, cost: 20, previousHintId: 7 });
  });
  it('refuses unknown, repeated and unaffordable hints', () => {
    expect(decideHintPurchase(challenge, 99, new Set(), 100)).toEqual({ ok: false, error: 'unknown_hint' });
    expect(decideHintPurchase(challenge, 7, new Set([7]), 100)).toEqual({ ok: false, error: 'already_purchased' });
    expect(decideHintPurchase(challenge, 2, new Set([7]), 19)).toEqual({ ok: false, error: 'insufficient_points' });
  });
});

describe('compareStandings', () => {
  it('orders by score, then earlier last change, then name', () => {
    const rows = [
      { displayname: 'b', score: 10, solves: 1, lastTs: 5 },
      { displayname: 'a', score: 10, solves: 1, lastTs: 5 },
      { displayname: 'c', score: 10, solves: 1, lastTs: 3 },
      { displayname: 'd', score: 20, solves: 1, lastTs: 9 },
    ];
    expect(rows.sort(compareStandings).map((r) => r.displayname)).toEqual(['d', 'c', 'a', 'b']);
  });
});
