import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChallengeView } from '../../src/protocol/api.js';
import { FIXTURE_GAME } from '../../test/helpers/server.js';
import { parseChallenges } from './game-files.js';
import { nextChallenge, solveOrder } from './order.js';

const c = (id: number, requirements: number[] = []) => ({ id, requirements });
const view = (id: number, solved = false): ChallengeView => ({
  id,
  title: `c${id}`,
  category: 'x',
  difficulty: 'easy',
  points: 10,
  solved,
  description: '',
  hints: [],
  content: '',
});

describe('solveOrder', () => {
  it('puts every challenge after its requirements and otherwise keeps file order', () => {
    expect(solveOrder([c(3, [1]), c(1), c(2, [3]), c(4)])).toEqual([1, 3, 2, 4]);
  });

  it('orders the fixture game so every requirement comes first', () => {
    const challenges = parseChallenges(fs.readFileSync(`${FIXTURE_GAME}/challenges.json`, 'utf8'));
    const order = solveOrder(challenges);
    expect([...order].sort((a, b) => a - b)).toEqual(challenges.map((x) => x.id).sort((a, b) => a - b));
    for (const ch of challenges) for (const r of ch.requirements) expect(order.indexOf(r)).toBeLessThan(order.indexOf(ch.id));
  });

  it('handles several requirements on one challenge', () => {
    expect(solveOrder([c(5, [2, 4]), c(4, [1]), c(2), c(1)])).toEqual([2, 1, 4, 5]);
  });

  it('reports cycles, self-requirements and unknown ids', () => {
    expect(() => solveOrder([c(1, [2]), c(2, [1]), c(3)])).toThrow(/cycle among challenges 1, 2/);
    expect(() => solveOrder([c(1, [1])])).toThrow(/challenge 1: requires itself/);
    expect(() => solveOrder([c(1, [9])])).toThrow(/challenge 1: requires unknown challenge 9/);
  });
});

describe('nextChallenge', () => {
  it('returns the first visible unsolved challenge in solve order', () => {
    expect(nextChallenge([1, 3, 2], [view(2), view(1, true), view(3)])?.id).toBe(3);
  });

  it('skips challenges the server does not show yet (locked) and ends when all are solved', () => {
    expect(nextChallenge([1, 2], [view(2)])?.id).toBe(2);
    expect(nextChallenge([1, 2], [view(1, true), view(2, true)])).toBeUndefined();
  });
});
