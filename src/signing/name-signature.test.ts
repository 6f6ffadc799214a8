import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nameSigner, verifySignedName } from './name-signature.js';

const KEY = 'sign-key-for-tests-0123456789';

describe('signed display names', () => {
  it('round-trips the user id and any allowed name, including non-Latin ones', () => {
    const sign = nameSigner(KEY);
    for (const [id, name] of [[1, 'Ada'], [42, 'Zoë (π) #1'], [9_007_199_254_740_991, 'Дмитрий'], [7, '李小龍']] as const) {
      const value = sign(id, name);
      expect(value).toMatch(/^[0-9]+\.[0-9A-F]+\.[0-9A-F]{32}$/);
      expect(verifySignedName(value, KEY)).toEqual({ userId: id, name });
      expect(verifySignedName(` ${value.toLowerCase()}\n`, KEY)).toEqual({ userId: id, name });
    }
  });

  it('is the documented HMAC, so a checker in another language computes the same value', () => {
    const tag = createHmac('sha256', KEY).update('ctfg-signed-name-v1\n7\nAda').digest().subarray(0, 16).toString('hex').toUpperCase();
    expect(nameSigner(KEY)(7, 'Ada')).toBe(`7.416461.${tag}`);
  });

  it('refuses another key, an edited id, an edited name and malformed values', () => {
    const value = nameSigner(KEY)(7, 'Ada');
    const [id, name, tag] = value.split('.') as [string, string, string];
    expect(verifySignedName(value, 'another-key-0123456789')).toBeNull();
    expect(verifySignedName(`8.${name}.${tag}`, KEY)).toBeNull();
    expect(verifySignedName(`${id}.416462.${tag}`, KEY)).toBeNull();
    expect(verifySignedName(`${id}.${name}.${tag.slice(0, -1)}${tag.endsWith('0') ? '1' : '0'}`, KEY)).toBeNull();
    for (const bad of ['', '7', '7..' + tag, `0.${name}.${tag}`, `-7.${name}.${tag}`, `7.41646.${tag}`, `7.${name}.${tag}AA`, `7.FF.${tag}`]) {
      expect(verifySignedName(bad, KEY)).toBeNull();
    }
  });

  it('cannot be made without the key: the mask key or an empty key is no help', () => {
    expect(() => nameSigner('')).toThrow(RangeError);
    expect(() => verifySignedName('1.41.00000000000000000000000000000000', '')).toThrow(RangeError);
    expect(nameSigner('some-secret-key')(7, 'Ada')).not.toBe(nameSigner(KEY)(7, 'Ada'));
  });
});
