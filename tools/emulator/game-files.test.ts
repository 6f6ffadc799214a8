import { describe, expect, it } from 'vitest';
import { parseChallenges, parseCredentials } from './game-files.js';

describe('parseCredentials', () => {
  it('follows the server rules: optional header, trimming, blank lines', () => {
    expect(parseCredentials('username,password\n alice , pw1 \n\nbob,pw2\n')).toEqual([
      { username: 'alice', password: 'pw1' },
      { username: 'bob', password: 'pw2' },
    ]);
    expect(parseCredentials('alice,pw1')).toHaveLength(1);
  });

  it('rejects duplicates, empty files and password hashes with the row named', () => {
    expect(() => parseCredentials('a,1\na,2')).toThrow(/row 2: duplicate username a/);
    expect(() => parseCredentials('\n\n')).toThrow(/no credentials/);
    expect(() => parseCredentials('a,$argon2id$v=19$m=65536,t=3,p=4$abc$def')).toThrow(/plain-text passwords/);
  });
});

describe('parseChallenges', () => {
  it('keeps ids, requirements and testflags', () => {
    const text = JSON.stringify([
      { id: 1, title: 'a', testflag: 'x', flag: '^x$' },
      { id: 2, title: 'b', testflag: 'y', requirements: [1] },
    ]);
    expect(parseChallenges(text)).toEqual([
      { id: 1, title: 'a', testflag: 'x', requirements: [] },
      { id: 2, title: 'b', testflag: 'y', requirements: [1] },
    ]);
  });

  it('reports every problem at once', () => {
    const text = JSON.stringify([{ id: 1, title: 'a' }, { id: 'two', title: 'b', testflag: 'y' }, { id: 1, title: 'c', testflag: 'z' }]);
    const err = (() => {
      try {
        parseChallenges(text);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(err).toMatch(/challenge 1: no testflag/);
    expect(err).toMatch(/challenge #2: id/);
    expect(err).toMatch(/challenge 1: duplicate id/);
  });

  it('rejects non-JSON and non-arrays', () => {
    expect(() => parseChallenges('{')).toThrow(/not valid JSON/);
    expect(() => parseChallenges('{}')).toThrow(/must be a JSON array/);
  });
});
