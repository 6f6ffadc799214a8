import { describe, expect, it } from 'vitest';
import { difficultyTone, groupByCategory, scoreFromChallenges } from './format.js';

describe('format helpers', () => {
  it('colour-codes common difficulty words', () => {
    expect(['Easy', 'medium', 'HARD', 'Insane', 'Spicy'].map(difficultyTone)).toEqual(['easy', 'medium', 'hard', 'insane', 'other']);
  });
  it('groups by category in order of first appearance', () => {
    const items = [
      { id: 1, category: 'Web' },
      { id: 2, category: 'Crypto' },
      { id: 3, category: 'Web' },
    ];
    expect(groupByCategory(items).map(([c, list]) => [c, list.map((x) => x.id)])).toEqual([
      ['Web', [1, 3]],
      ['Crypto', [2]],
    ]);
  });
  it('derives the score from solved challenges minus revealed hints', () => {
    expect(
      scoreFromChallenges([
        { solved: true, points: 100, hints: [{ cost: 10, text: 'x' }, { cost: 20 }] },
        { solved: false, points: 300, hints: [{ cost: 5, text: 'y' }] },
      ]),
    ).toBe(85);
  });
});
