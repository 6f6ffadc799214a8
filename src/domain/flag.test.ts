import { describe, expect, it } from 'vitest';
import { compileFlag, isCorrectFlag, MAX_FLAG_LENGTH, trimSubmission } from './flag.js';

function regexOf(source: string): RegExp {
  const compiled = compileFlag(source);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.regex;
}

describe('compileFlag', () => {
  it('compiles a valid pattern without the global flag', () => {
    const compiled = compileFlag('^CTF\\{x\\}$');
    expect(compiled.ok).toBe(true);
    if (compiled.ok) expect(compiled.regex.global).toBe(false);
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
    expect(re.flags).toBe('i');
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

  it('is repeatable: no lastIndex state leaks between calls', () => {
    const re = regexOf('^CTF\\{x\\}$');
    for (let i = 0; i < 5; i += 1) expect(isCorrectFlag(re, 'CTF{x}')).toBe(true);
    expect(re.lastIndex).toBe(0);
  });

  it('works with a caller-made global regex too', () => {
    const re = /^ok$/g;
    expect(isCorrectFlag(re, 'ok')).toBe(true);
    expect(isCorrectFlag(re, 'ok')).toBe(true);
  });

  it('rejects submissions longer than MAX_FLAG_LENGTH', () => {
    const re = regexOf('^a+$');
    expect(isCorrectFlag(re, 'a'.repeat(MAX_FLAG_LENGTH))).toBe(true);
    expect(isCorrectFlag(re, 'a'.repeat(MAX_FLAG_LENGTH + 1))).toBe(false);
  });
});
