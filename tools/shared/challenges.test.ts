import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_GAME } from '../../test/helpers/server.js';
import { parsePlayableChallenges, solveOrder } from './challenges.js';

const c = (id: number, requirements: number[] = []) => ({ id, requirements });
const entry = (id: number, extra: Record<string, unknown> = {}) => ({
  id,
  title: `c${id}`,
  category: 'x',
  difficulty: 'easy',
  points: 10,
  description: '',
  flag: `^f${id}$`,
  testflag: `f${id}`,
  ...extra,
});

describe('parsePlayableChallenges', () => {
  it('reads challenges with the server rules, defaults included', () => {
    const [first, second] = parsePlayableChallenges(JSON.stringify([entry(1), entry(2, { requirements: [1, 1] })]));
    expect(first).toMatchObject({ id: 1, testflag: 'f1', hints: [], requirements: [] });
    expect(second?.requirements).toEqual([1]);
  });

  it('reports every problem at once, in the server words, plus a missing testflag', () => {
    const bad = JSON.stringify([entry(1, { points: -1 }), entry(2, { requirements: [9] }), entry(1)]);
    const report = (() => {
      try {
        parsePlayableChallenges(bad);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    expect(report).toMatch(/challenge 1, field points: must not be negative/);
    expect(report).toMatch(/challenge 2, field requirements\[0\]: requires challenge 9/);
    expect(report).toMatch(/id 1 is used by 2 challenges/);
    expect(report).toMatch(/3 problems found/);
    const untested = entry(3);
    delete (untested as Record<string, unknown>).testflag;
    expect(() => parsePlayableChallenges(JSON.stringify([entry(1), untested]))).toThrow(/challenge 3, field testflag: is missing/);
  });

  it('rejects non-JSON, non-arrays and an empty list', () => {
    expect(() => parsePlayableChallenges('{')).toThrow(/not valid JSON/);
    expect(() => parsePlayableChallenges('{}')).toThrow(/must be a JSON array/);
    expect(() => parsePlayableChallenges('[]')).toThrow(/holds no challenges/);
  });
});

describe('solveOrder', () => {
  it('orders level by level (what is open first), file order within a level', () => {
    expect(solveOrder([c(3, [1]), c(1), c(2, [3]), c(4)])).toEqual([1, 4, 3, 2]);
  });

  it('orders the compat fixture so every requirement comes first', () => {
    const challenges = parsePlayableChallenges(fs.readFileSync(path.join(FIXTURE_GAME, 'challenges.json'), 'utf8'));
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
