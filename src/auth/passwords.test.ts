import { describe, expect, it } from 'vitest';
import {
  checkPasswordHash,
  dummyVerify,
  hashPassword,
  isPasswordHash,
  passwordKind,
  typicalPasswordKind,
  verifyPassword,
} from './passwords.js';

describe('passwordKind / isPasswordHash', () => {
  it('treats $argon2… and $scrypt$… as hashes and anything else as plain text', () => {
    expect(passwordKind('$argon2id$v=19$m=19456,t=2,p=1$a$b')).toBe('argon2');
    expect(passwordKind('$argon2i$whatever')).toBe('argon2');
    expect(passwordKind('$scrypt$ln=1,r=1,p=1$a$b')).toBe('scrypt');
    expect(passwordKind('password1')).toBe('plain');
    expect(passwordKind('$5$rounds=5000$abc')).toBe('plain');
    expect(isPasswordHash('$scrypt$x')).toBe(true);
    expect(isPasswordHash('hunter2')).toBe(false);
  });
});

// Real password hashes are slow on purpose; on a busy machine a few take seconds. Nothing here is timed.
describe('verifyPassword', { timeout: 30_000 }, () => {
  it('compares plain text exactly', async () => {
    expect(await verifyPassword('password1', 'password1')).toBe(true);
    expect(await verifyPassword('password1', 'password2')).toBe(false);
    expect(await verifyPassword('password1', 'password10')).toBe(false);
    expect(await verifyPassword('password1', '')).toBe(false);
    expect(await verifyPassword('pässwörd', 'pässwörd')).toBe(true);
  });

  it('verifies argon2id hashes made by hashPassword', async () => {
    const stored = await hashPassword('correct horse', 'argon2id');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(checkPasswordHash(stored)).toBeNull();
    expect(await verifyPassword(stored, 'correct horse')).toBe(true);
    expect(await verifyPassword(stored, 'correct horsE')).toBe(false);
  });

  it('verifies scrypt hashes made by hashPassword', async () => {
    const stored = await hashPassword('battery staple', 'scrypt');
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(checkPasswordHash(stored)).toBeNull();
    expect(await verifyPassword(stored, 'battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'battery stapler')).toBe(false);
  });

  it('verifies a passlib scrypt hash (interoperability)', async () => {
    // From the passlib documentation: scrypt.hash("password").
    const stored = '$scrypt$ln=16,r=8,p=1$aM15713r3Xsvxbi31lqr1Q$nFNh2CVHVjNldFVKDHDlm4CbdRSCdEBsjjJxD+iCs5E';
    expect(await verifyPassword(stored, 'password')).toBe(true);
    expect(await verifyPassword(stored, 'Password')).toBe(false);
  });

  it('never matches (and never throws on) a malformed hash', async () => {
    expect(await verifyPassword('$argon2id$garbage', '$argon2id$garbage')).toBe(false);
    expect(await verifyPassword('$scrypt$ln=99,r=8,p=1$c2FsdA$aGFzaA', 'x')).toBe(false);
    expect(await verifyPassword('$scrypt$nonsense', '$scrypt$nonsense')).toBe(false);
  });
});

describe('checkPasswordHash', () => {
  it('accepts plain text and reports malformed or unsupported hashes without echoing them', () => {
    expect(checkPasswordHash('password1')).toBeNull();
    expect(checkPasswordHash('$argon2id$garbage')).toMatch(/not a valid/);
    expect(checkPasswordHash('$scrypt$ln=15,r=8$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA')).toMatch(/ln, r and p/);
    expect(checkPasswordHash('$scrypt$ln=30,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA')).toMatch(/out of range/);
    const bcrypt = '$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234';
    const message = checkPasswordHash(bcrypt) ?? '';
    expect(message).toMatch(/bcrypt/);
    expect(message).not.toContain(bcrypt);
  });
});

describe('dummyVerify', { timeout: 30_000 }, () => {
  it('always answers false, for every kind', async () => {
    expect(await dummyVerify('anything')).toBe(false);
    expect(await dummyVerify('anything', 'argon2')).toBe(false);
    expect(await dummyVerify('anything', 'scrypt')).toBe(false);
  });

  it('costs about as much as a real argon2 check', async () => {
    const stored = await hashPassword('pw', 'argon2id');
    const time = async (f: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await f();
      return performance.now() - start;
    };
    await time(() => verifyPassword(stored, 'warm-up'));
    const real = await time(() => verifyPassword(stored, 'nope'));
    const dummy = await time(() => dummyVerify('nope', 'argon2'));
    expect(dummy).toBeGreaterThan(real / 4);
  });
});

describe('typicalPasswordKind', () => {
  it('picks the most common kind, plain on a tie or when empty', () => {
    expect(typicalPasswordKind([])).toBe('plain');
    expect(typicalPasswordKind(['a', '$argon2id$x', '$argon2id$y'])).toBe('argon2');
    expect(typicalPasswordKind(['a', '$scrypt$x'])).toBe('plain');
  });
});
