import { describe, expect, it } from 'vitest';
import { compileFlag, isCorrectFlag, MAX_FLAG_LENGTH, trimSubmission, type FlagMatcher } from './flag.js';

function regexOf(source: string): FlagMatcher {
  const compiled = compileFlag(source);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.matcher;
}

describe('compileFlag', () => {
  it('compiles a valid pattern', () => {
    expect(compileFlag('^CTF\\{x\\}$').ok).toBe(true);
  });

  it('names what the linear-time engine lacks: backreferences and lookaround', () => {
    for (const source of ['^(a+)\\1$', '^CTF\\{(?=.*x).*\\}$', '^(?<!x)y$', '^a(?!b)']) {
      expect(compileFlag(source), source).toEqual({ ok: false, message: expect.stringContaining('linear-time flag engine') });
    }
  });

  it('reports a pattern that does not compile, with the reason', () => {
    const compiled = compileFlag('^CTF{(unclosed$');
    expect(compiled).toEqual({ ok: false, message: expect.stringContaining('Unterminated group') });
  });

  it('refuses an empty pattern', () => {
    expect(compileFlag('').ok).toBe(false);
  });

  it('turns a leading Perl-style (?i) into the i flag', () => {
    const re = regexOf('(?i)^ctf\\{abc\\}$');
    expect(isCorrectFlag(re, 'CTF{ABC}')).toBe(true);
  });
});

describe('isCorrectFlag', () => {
  it('accepts an exact anchored match and rejects others', () => {
    const re = regexOf('^26$');
    expect(isCorrectFlag(re, '26')).toBe(true);
    expect(isCorrectFlag(re, '27')).toBe(false);
    expect(isCorrectFlag(re, '266')).toBe(false);
  });

  it('trims spaces, tabs, CR and LF around the submission only', () => {
    const re = regexOf('^CTF\\{a b\\}$');
    expect(isCorrectFlag(re, ' \t\r\nCTF{a b}\r\n ')).toBe(true);
    expect(isCorrectFlag(re, 'CTF{a  b}')).toBe(false);
    expect(trimSubmission('\u00a0x\u00a0')).toBe('\u00a0x\u00a0');
  });

  it('needs exactly one match: an unanchored flag repeated twice is wrong', () => {
    const re = regexOf('42');
    expect(isCorrectFlag(re, 'the answer is 42')).toBe(true);
    expect(isCorrectFlag(re, '4242')).toBe(false);
    expect(isCorrectFlag(re, 'nothing')).toBe(false);
  });

  it('counts zero-length matches without looping forever', () => {
    expect(isCorrectFlag(regexOf('^$'), '   ')).toBe(true);
    expect(isCorrectFlag(regexOf('^$'), 'x')).toBe(false);
    // "a*" matches the empty string at every position of "bb": three matches.
    expect(isCorrectFlag(regexOf('a*'), 'bb')).toBe(false);
    expect(isCorrectFlag(regexOf('x?'), '')).toBe(true);
    expect(isCorrectFlag(regexOf('\\b'), 'ab')).toBe(false);
  });

  it('is repeatable: no state leaks between calls', () => {
    const re = regexOf('^CTF\\{x\\}$');
    for (let i = 0; i < 5; i += 1) expect(isCorrectFlag(re, 'CTF{x}')).toBe(true);
  });

  it('judges a catastrophically backtracking pattern in linear time', () => {
    const re = regexOf('^CTF\\{([a-z0-9]+_?)+\\}$');
    // 5.4 s with a backtracking engine at 34 characters; this one is linear.
    expect(isCorrectFlag(re, `CTF{${'a'.repeat(MAX_FLAG_LENGTH - 5)}!`)).toBe(false);
    expect(isCorrectFlag(re, 'CTF{ab_c9}')).toBe(true);
  });

  it('rejects submissions longer than MAX_FLAG_LENGTH', () => {
    const re = regexOf('^a+$');
    expect(isCorrectFlag(re, 'a'.repeat(MAX_FLAG_LENGTH))).toBe(true);
    expect(isCorrectFlag(re, 'a'.repeat(MAX_FLAG_LENGTH + 1))).toBe(false);
  });
});
