import { describe, expect, it } from 'vitest';
import type { GameFileProblem } from '../domain/types.js';
import { findRequirementCycles, parseChallenges } from './challenges.js';

type Raw = Record<string, unknown>;

function challenge(id: number, extra: Raw = {}): Raw {
  return {
    id,
    title: `Challenge ${id}`,
    category: 'Misc',
    difficulty: 'Easy',
    points: 100,
    description: 'Find it.',
    flag: `^CTF\\{c${id}\\}$`,
    testflag: `CTF{c${id}}`,
    ...extra,
  };
}

function problemsOf(list: unknown): readonly GameFileProblem[] {
  const result = parseChallenges(JSON.stringify(list));
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

/** The single problem reported at `where`. */
function problemAt(list: unknown, where: string): GameFileProblem {
  const problems = problemsOf(list);
  const found = problems.filter((p) => p.where === where);
  if (found.length !== 1) throw new Error(`expected one problem at "${where}", got ${JSON.stringify(problems)}`);
  return found[0] as GameFileProblem;
}

describe('parseChallenges: valid input', () => {
  it('fills defaults and keeps optional fields only when present', () => {
    const result = parseChallenges(JSON.stringify([challenge(1), challenge(2, { requirements: [1], content: 'x', extra: 5 })]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value[0]).toEqual({
      id: 1,
      title: 'Challenge 1',
      category: 'Misc',
      difficulty: 'Easy',
      points: 100,
      description: 'Find it.',
      flag: '^CTF\\{c1\\}$',
      testflag: 'CTF{c1}',
      hints: [],
      requirements: [],
    });
    expect(result.value[1]?.requirements).toEqual([1]);
    expect(result.value[1]?.content).toBe('x');
    expect(result.value[1]).not.toHaveProperty('extra');
  });

  it('accepts a byte-order mark and an empty list', () => {
    expect(parseChallenges(`\ufeff${JSON.stringify([challenge(1)])}`).ok).toBe(true);
    expect(parseChallenges('[]')).toEqual({ ok: true, value: [] });
  });
});

describe('parseChallenges: problems', () => {
  it('reports invalid JSON with a line and column', () => {
    const result = parseChallenges('[\n  {"id": 1,\n   "title" "x"}\n]', 'game/challenges.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.file).toBe('game/challenges.json');
    expect(result.problems[0]?.where).toBe('line 3, column 12');
    expect(result.problems[0]?.message).toMatch(/not valid JSON/);
  });

  it('reports truncated JSON at its end', () => {
    const result = parseChallenges('[\n  {"id": 1\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.where).toMatch(/^line \d+, column \d+$/);
  });

  it('reports a file that is not an array', () => {
    expect(problemsOf({ id: 1 })[0]?.message).toMatch(/must be a JSON array/);
  });

  it('reports entries that are not objects, by position', () => {
    expect(problemAt([challenge(1), 'oops'], 'challenge #2 in the list').message).toBe('must be an object');
  });

  it('reports missing and mistyped fields, naming challenge and field', () => {
    const { title: _title, ...noTitle } = challenge(3);
    const list = [noTitle, challenge(4, { points: '100' }), challenge(5, { flag: 42 }), challenge(6, { hints: 'none' })];
    expect(problemAt(list, 'challenge 3, field title').message).toBe('is required');
    expect(problemAt(list, 'challenge 4, field points').message).toMatch(/must be an integer/);
    expect(problemAt(list, 'challenge 5, field flag').message).toMatch(/must be text/);
    expect(problemAt(list, 'challenge 6, field hints').message).toMatch(/must be a list/);
  });

  it('reports a missing or non-integer id by position', () => {
    const { id: _id, ...noId } = challenge(1);
    expect(problemAt([noId], 'challenge #1 in the list, field id').message).toBe('is required');
    expect(problemAt([challenge(1.5)], 'challenge #1 in the list, field id').message).toMatch(/integer/);
  });

  it('reports negative points and hint costs', () => {
    const list = [challenge(7, { points: -1, hints: [{ id: 1, text: 't', cost: -5 }] })];
    expect(problemAt(list, 'challenge 7, field points').message).toMatch(/must not be negative/);
    expect(problemAt(list, 'challenge 7, field hints[0].cost').message).toMatch(/must not be negative/);
  });

  it('keeps a decay and reports a bad one field by field', () => {
    const decay = { function: 'parabolic', minimum: 50, decay: 20 };
    const ok = parseChallenges(JSON.stringify([challenge(1, { decay })]));
    expect(ok.ok && ok.value[0]?.decay).toEqual(decay);
    const list = [challenge(2, { decay: { function: 'log', minimum: -1, decay: 3 } }), challenge(3, { points: 100, decay: { function: 'linear', minimum: 150, decay: 5 } })];
    expect(problemAt(list, 'challenge 2, field decay.function').message).toMatch(/linear|parabolic/);
    expect(problemAt(list, 'challenge 2, field decay.minimum').message).toMatch(/must not be negative/);
    expect(problemAt(list, 'challenge 3, field decay.minimum').message).toMatch(/above the challenge's points \(100\)/);
  });

  it('reports malformed hints field by field', () => {
    const list = [challenge(8, { hints: [{ id: 'one', text: 't', cost: 0 }, { id: 2, cost: 0 }] })];
    expect(problemAt(list, 'challenge 8, field hints[0].id').message).toMatch(/integer/);
    expect(problemAt(list, 'challenge 8, field hints[1].text').message).toBe('is required');
  });

  it('reports duplicate ids with their positions', () => {
    const p = problemAt([challenge(1), challenge(2), challenge(1)], 'challenge 1, field id');
    expect(p.message).toMatch(/used by 2 challenges \(positions 1, 3/);
  });

  it('reports a flag regex that does not compile', () => {
    const p = problemAt([challenge(9, { flag: '^CTF{(broken$' })], 'challenge 9, field flag');
    expect(p.message).toMatch(/not a valid regular expression/);
  });

  it('reports a testflag that does not match its flag', () => {
    const p = problemAt([challenge(10, { testflag: 'CTF{wrong}' })], 'challenge 10, field testflag');
    expect(p.message).toMatch(/does not match flag/);
    // Matching twice is not "exactly one match".
    expect(problemAt([challenge(11, { flag: 'ab', testflag: 'abab' })], 'challenge 11, field testflag')).toBeDefined();
  });

  it('reports unknown requirement ids', () => {
    const p = problemAt([challenge(1), challenge(2, { requirements: [1, 99] })], 'challenge 2, field requirements[1]');
    expect(p.message).toBe('requires challenge 99, which does not exist');
  });

  it('reports requirement cycles with their path', () => {
    const list = [challenge(1), challenge(3, { requirements: [4] }), challenge(4, { requirements: [3, 1] })];
    expect(problemAt(list, 'challenge 3, field requirements').message).toMatch(/^requirement cycle 3 → 4 → 3/);
  });

  it('reports a challenge that requires itself', () => {
    const p = problemAt([challenge(5, { requirements: [5] })], 'challenge 5, field requirements[0]');
    expect(p.message).toBe('a challenge cannot require itself');
  });

  it('reports duplicate hint ids within a challenge', () => {
    const hints = [
      { id: 1, text: 'a', cost: 0 },
      { id: 1, text: 'b', cost: 5 },
    ];
    const p = problemAt([challenge(6, { hints })], 'challenge 6, field hints[1].id');
    expect(p.message).toMatch(/hint id 1 is already used by hints\[0\]/);
    // The same hint id in different challenges is fine.
    expect(parseChallenges(JSON.stringify([challenge(1, { hints: [hints[0]] }), challenge(2, { hints: [hints[0]] })])).ok).toBe(true);
  });

  it('still checks flag, hints and requirements of an entry whose shape is wrong', () => {
    const list = [challenge(1, { points: -1, flag: '(', requirements: [77], hints: [{ id: 1 }, { id: 1 }] })];
    const wheres = problemsOf(list).map((p) => p.where);
    expect(wheres).toEqual(
      expect.arrayContaining([
        'challenge 1, field points',
        'challenge 1, field flag',
        'challenge 1, field requirements[0]',
        'challenge 1, field hints[1].id',
      ]),
    );
  });

  it('reports every problem at once', () => {
    const list = [
      challenge(1, { flag: '(' }),
      challenge(2, { points: -3 }),
      challenge(3, { requirements: [42] }),
      challenge(3),
    ];
    const wheres = problemsOf(list).map((p) => p.where);
    expect(wheres).toEqual(
      expect.arrayContaining(['challenge 1, field flag', 'challenge 2, field points', 'challenge 3, field requirements[0]', 'challenge 3, field id']),
    );
    expect(problemsOf(list).every((p) => p.file === 'challenges.json')).toBe(true);
  });
});

describe('findRequirementCycles', () => {
  it('finds each cycle once, starting at its smallest id', () => {
    const graph = [
      { id: 1, requirements: [2] },
      { id: 2, requirements: [3] },
      { id: 3, requirements: [1] },
      { id: 4, requirements: [5] },
      { id: 5, requirements: [4] },
      { id: 6, requirements: [1, 4] },
    ];
    expect(findRequirementCycles(graph)).toEqual([
      [1, 2, 3, 1],
      [4, 5, 4],
    ]);
  });

  it('finds nothing in a chain with a branch', () => {
    expect(
      findRequirementCycles([
        { id: 1, requirements: [] },
        { id: 2, requirements: [1] },
        { id: 3, requirements: [1] },
        { id: 4, requirements: [2, 3] },
      ]),
    ).toEqual([]);
  });
});
