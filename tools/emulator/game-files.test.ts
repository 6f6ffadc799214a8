import { describe, expect, it } from 'vitest';
import { parseCredentials } from './game-files.js';

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
