import { describe, expect, it } from 'vitest';
import { adminFailure, bars, describeProblem, formatAgo, parsePoints, reloadProblems, signedPoints } from './format.js';

describe('console formatting', () => {
  it('describes reload problems like ctfg validate', () => {
    expect(describeProblem({ file: 'challenges.json', where: 'challenge 7, field flag', message: 'does not compile' })).toBe(
      'challenges.json: challenge 7, field flag: does not compile',
    );
    expect(describeProblem('plain')).toBe('plain');
    expect(describeProblem({ other: 1 })).toBe('{"other":1}');
    expect(reloadProblems({ error: 'invalid_game', problems: [{ file: 'a', message: 'b' }] })).toEqual(['a: b']);
    expect(reloadProblems({ error: 'x' })).toBeNull();
    expect(reloadProblems(null)).toBeNull();
  });

  it('says how long ago', () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 0);
    expect(formatAgo(null, now)).toBe('never');
    expect(formatAgo(now - 10_000, now)).toBe('just now');
    expect(formatAgo(now - 5 * 60_000, now)).toBe('5 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
  });

  it('words failures and signs points', () => {
    expect(adminFailure({ kind: 'http', status: 404, code: 'unknown_user', retryAfter: null })).toBe('No player with that username.');
    expect(adminFailure({ kind: 'http', status: 400, code: 'points must not be 0', retryAfter: null })).toBe('points must not be 0');
    expect(adminFailure({ kind: 'network' })).toMatch(/reach the server/);
    expect(signedPoints(50)).toBe('+50');
    expect(signedPoints(-20)).toBe('−20');
  });
});

describe('console helpers', () => {
  it('scales the per-minute bars to the tallest minute', () => {
    const b = bars(
      [
        [0, 2],
        [60_000, 4],
        [120_000, 0],
      ],
      300,
      100,
    );
    expect(b.map((x) => x.h)).toEqual([50, 100, 0]);
    expect(b.map((x) => Math.round(x.x))).toEqual([10, 110, 210]);
    expect(bars([[0, 0]], 300, 100)[0]?.h).toBe(0);
  });

  it('reads adjustment points: whole numbers other than 0', () => {
    expect(parsePoints('50')).toBe(50);
    expect(parsePoints('+50')).toBe(50);
    expect(parsePoints(' -20 ')).toBe(-20);
    expect(parsePoints('−20')).toBe(-20);
    expect(parsePoints('0')).toBeNull();
    expect(parsePoints('1.5')).toBeNull();
    expect(parsePoints('')).toBeNull();
    expect(parsePoints('ten')).toBeNull();
  });
});
