import { describe, expect, it } from 'vitest';
import type { ChallengeView } from '../../src/protocol/api.js';
import { nextChallenge } from './order.js';

const view = (id: number, solved = false): ChallengeView => ({
  id,
  title: `c${id}`,
  category: 'x',
  difficulty: 'easy',
  points: 10,
  solves: 0,
  first_solvers: [],
  solved,
  description: '',
  hints: [],
  content: '',
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
