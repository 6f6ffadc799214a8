import { describe, expect, it } from 'vitest';
import type { GameFileProblem } from '../domain/types.js';
import { parseCredentials } from './credentials.js';

function problemsOf(text: string): readonly GameFileProblem[] {
  const result = parseCredentials(text);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('parseCredentials', () => {
  it('reads rows, skipping an optional header and blank lines, trimming whitespace', () => {
    const text = 'username,password\r\n\r\n  alice , s3cret  \n   \n\tbob,"  spaced  "\n\ncarol,with " quote\n';
    expect(parseCredentials(text)).toEqual({
      ok: true,
      value: [
        { username: 'alice', password: 's3cret' },
        { username: 'bob', password: '  spaced  ' },
        { username: 'carol', password: 'with " quote' },
      ],
    });
  });

  it('works without a header, with a BOM and without a final newline', () => {
    expect(parseCredentials('\ufeffalice,a\nbob,b')).toEqual({
      ok: true,
      value: [
        { username: 'alice', password: 'a' },
        { username: 'bob', password: 'b' },
      ],
    });
  });

  it('keeps a quoted password containing a comma', () => {
    const result = parseCredentials('alice,"a,b"\n');
    expect(result.ok && result.value[0]?.password).toBe('a,b');
  });

  it('reports duplicate usernames with both line numbers', () => {
    const problems = problemsOf('username,password\nalice,a\nbob,b\n\nalice,c\n');
    expect(problems).toEqual([
      { file: 'credentials.csv', where: 'line 5', message: 'duplicate username "alice" (first on line 2)' },
    ]);
  });

  it('reports empty usernames and passwords', () => {
    const problems = problemsOf('alice,a\n,secret\nbob,\n');
    expect(problems.map((p) => [p.where, p.message])).toEqual([
      ['line 2', 'username is empty'],
      ['line 3', 'password for "bob" is empty'],
    ]);
  });

  it('reports rows with the wrong number of columns, never echoing the password', () => {
    const problems = problemsOf('alice,a\nbob\ncarol,Xy,Zzy\n');
    expect(problems.map((p) => p.where)).toEqual(['line 2', 'line 3']);
    expect(problems[1]?.message).toMatch(/expected 2 columns .* found 3/);
    expect(problems.some((p) => p.message.includes('Xy') || p.message.includes('Zzy'))).toBe(false);
  });

  it('reports a malformed hash without showing it', () => {
    const problems = problemsOf('alice,$argon2id$broken\n');
    expect(problems[0]?.where).toBe('line 1');
    expect(problems[0]?.message).toMatch(/password for "alice" is not a valid/);
    expect(problems[0]?.message).not.toContain('broken');
  });

  it('reports an unclosed quote with its line', () => {
    const problems = problemsOf('alice,a\nbob,"oops\ncarol,c\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/not valid CSV/);
    expect(problems[0]?.where).toMatch(/^line \d+$/);
  });

  it('reports a file with no players', () => {
    expect(problemsOf('username,password\n\n')[0]?.message).toMatch(/no players/);
    expect(problemsOf('')[0]?.message).toMatch(/no players/);
  });

  it('counts lines correctly after a quoted multi-line field', () => {
    const problems = problemsOf('alice,"multi\nline"\nbob,b\nbob,c\n');
    expect(problems[0]?.where).toBe('line 4');
    expect(problems[0]?.message).toContain('first on line 3');
  });
});

describe('parseCredentials: team and division columns (SPEC §9)', () => {
  it('reads the columns a header names, in any order; division may be empty; teams are read', () => {
    const text = 'password,division,username\npa,Student,a\npb,,b\n';
    expect(parseCredentials(text)).toEqual({
      ok: true,
      value: [
        { username: 'a', password: 'pa', division: 'Student' },
        { username: 'b', password: 'pb' },
      ],
    });
    expect(parseCredentials('username,password,team\na,pa,Red  Team\nb,pb,Red Team\n')).toEqual({
      ok: true,
      value: [
        { username: 'a', password: 'pa', team: 'Red Team' },
        { username: 'b', password: 'pb', team: 'Red Team' },
      ],
    });
    expect(parseCredentials('username,password,division\na,pa,Open\nb,pb,\n')).toEqual({
      ok: true,
      value: [
        { username: 'a', password: 'pa', division: 'Open' },
        { username: 'b', password: 'pb' },
      ],
    });
  });

  it('reports a missing team in team mode, a team split across divisions, bad team names and wrong counts', () => {
    const text = 'username,password,team,division\na,pa,Red,Student\nb,pb,,Open\nc,pc,Red,Open\nd,pd,admin crew,\ne,pe,Red\n';
    expect(problemsOf(text).map((p) => `${p.where}: ${p.message}`)).toEqual([
      'line 5: team of "d": a team name must not contain "admin"',
      'line 6: expected 4 columns (username,password,team,division) but found 3; put a password that contains a comma in double quotes',
      'line 3: "b" has no team; in team mode every player needs one',
      'line 4: team "Red" is split across divisions; every member of a team needs the same division',
    ]);
  });
});
