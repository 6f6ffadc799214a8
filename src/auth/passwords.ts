/**
 * Password checks for credentials.csv.
 *
 * A stored password is either plain text (compatibility with existing game
 * folders) or a PHC-format hash: `$argon2id$…`, `$argon2i$…`, `$argon2d$…`
 * or `$scrypt$ln=…,r=…,p=…$salt$hash` (as written by passlib and by
 * `hashPassword` below). Every comparison is constant-time, and `dummyVerify`
 * lets the login route spend the same effort on unknown usernames so response
 * times do not reveal which usernames exist.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { hash as argon2Hash, parseOptions as argon2ParseOptions, verify as argon2Verify } from '@node-rs/argon2';

export type PasswordKind = 'plain' | 'argon2' | 'scrypt';
export type PasswordHashKind = 'argon2id' | 'scrypt';

/** Which comparison a stored password needs. Anything not a known hash prefix is plain text. */
export function passwordKind(stored: string): PasswordKind {
  if (stored.startsWith('$argon2')) return 'argon2';
  if (stored.startsWith('$scrypt$')) return 'scrypt';
  return 'plain';
}

export function isPasswordHash(stored: string): boolean {
  return passwordKind(stored) !== 'plain';
}

// --- scrypt (PHC string) ---------------------------------------------------

/** OWASP's 32 MiB scrypt setting: N=2^15, r=8, p=3 (about 150 ms here). */
const SCRYPT_DEFAULTS = { ln: 15, r: 8, p: 3, saltBytes: 16, keyBytes: 32 } as const;
/** Refuse parameters that would let one login eat the machine. */
const SCRYPT_MAX_MEMORY = 256 * 1024 * 1024;
/** argon2 memory cost is in KiB; same ceiling as scrypt. */
const ARGON2_MAX_MEMORY_KIB = 256 * 1024;

interface ScryptHash {
  readonly ln: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const SCRYPT_PHC = /^\$scrypt\$([^$]+)\$([A-Za-z0-9+/.\-_]+)\$([A-Za-z0-9+/.\-_]+)$/;

/** PHC uses unpadded base64; passlib's variant writes '.' for '+'. */
function decodeB64(text: string): Buffer {
  return Buffer.from(text.replace(/\./g, '+'), 'base64');
}

function encodeB64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

function parseScrypt(stored: string): ScryptHash | string {
  const parts = SCRYPT_PHC.exec(stored);
  if (parts === null) return 'is not a valid $scrypt$ hash (expected $scrypt$ln=…,r=…,p=…$salt$hash)';
  const params = new Map<string, number>();
  for (const pair of (parts[1] ?? '').split(',')) {
    const [name, value] = pair.split('=');
    if (name === undefined || value === undefined || !/^\d{1,4}$/.test(value)) {
      return `has a malformed scrypt parameter "${pair}"`;
    }
    params.set(name, Number(value));
  }
  const ln = params.get('ln');
  const r = params.get('r');
  const p = params.get('p');
  if (ln === undefined || r === undefined || p === undefined) return 'scrypt hash must give ln, r and p';
  if (ln < 1 || ln > 24 || r < 1 || p < 1 || p > 16) return 'scrypt parameters out of range';
  if (scryptMemory(ln, r) > SCRYPT_MAX_MEMORY) return 'scrypt parameters need more than 256 MiB per login';
  const salt = decodeB64(parts[2] ?? '');
  const key = decodeB64(parts[3] ?? '');
  if (salt.length === 0 || key.length < 16 || key.length > 128) return 'scrypt salt or hash has the wrong length';
  return { ln, r, p, salt, key };
}

function scryptMemory(ln: number, r: number): number {
  return 128 * 2 ** ln * r;
}

function scrypt(password: string, salt: Buffer, keyLength: number, ln: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 2 * scryptMemory(ln, r) + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function verifyScrypt(stored: string, given: string): Promise<boolean> {
  const parsed = parseScrypt(stored);
  if (typeof parsed === 'string') return false;
  const derived = await scrypt(given, parsed.salt, parsed.key.length, parsed.ln, parsed.r, parsed.p);
  return timingSafeEqual(derived, parsed.key);
}

// --- plain text ------------------------------------------------------------

/** Hashing both sides first gives equal-length inputs, so length leaks nothing either. */
function plainEquals(stored: string, given: string): boolean {
  const a = createHash('sha256').update(stored, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}

// --- public API ------------------------------------------------------------

/**
 * True when `given` is the password `stored` describes. Never throws: a
 * malformed stored hash simply never matches (the loader reports it first,
 * see `checkPasswordHash`).
 */
export async function verifyPassword(stored: string, given: string): Promise<boolean> {
  try {
    switch (passwordKind(stored)) {
      case 'argon2':
        return await argon2Verify(stored, given);
      case 'scrypt':
        return await verifyScrypt(stored, given);
      case 'plain':
        return plainEquals(stored, given);
    }
  } catch {
    return false;
  }
}

/**
 * A problem with a stored password, for the credentials loader to report, or
 * null when it is usable. Plain text is always usable. Messages never include
 * the stored value.
 */
export function checkPasswordHash(stored: string): string | null {
  switch (passwordKind(stored)) {
    case 'plain':
      return /^\$2[abxy]?\$\d\d\$/.test(stored)
        ? 'looks like a bcrypt hash, which ctfg does not support; use an $argon2id$ or $scrypt$ hash (ctfg hash-password)'
        : null;
    case 'scrypt': {
      const parsed = parseScrypt(stored);
      return typeof parsed === 'string' ? parsed : null;
    }
    case 'argon2': {
      try {
        const options = argon2ParseOptions(stored);
        return options.memoryCost > ARGON2_MAX_MEMORY_KIB ? 'argon2 hash needs more than 256 MiB per login' : null;
      } catch {
        return 'is not a valid $argon2$ hash';
      }
    }
  }
}

/** A PHC hash for credentials.csv (for `ctfg hash-password`). argon2id uses OWASP's defaults. */
export async function hashPassword(plain: string, kind: PasswordHashKind = 'argon2id'): Promise<string> {
  if (kind === 'argon2id') {
    // @node-rs/argon2 defaults: argon2id, m=19456 KiB, t=2, p=1.
    return argon2Hash(plain);
  }
  const { ln, r, p, saltBytes, keyBytes } = SCRYPT_DEFAULTS;
  const salt = randomBytes(saltBytes);
  const key = await scrypt(plain, salt, keyBytes, ln, r, p);
  return `$scrypt$ln=${ln},r=${r},p=${p}$${encodeB64(salt)}$${encodeB64(key)}`;
}

/** Hashes of a random, discarded password, made with hashPassword's defaults. */
const DUMMY_HASHES: Readonly<Record<Exclude<PasswordKind, 'plain'>, string>> = {
  argon2: '$argon2id$v=19$m=19456,t=2,p=1$vUjHgTmVksqipdeKbzoslQ$jUNKvut6oaub6AHpwhrlQO/FF0bvN6pFxnGXeNocwgQ',
  scrypt: '$scrypt$ln=15,r=8,p=3$nRzudKR4aGtL5GqcnWpvAg$S2/rT+BpXlqBMUmwNW4CyZRWcUOs0Wo+iJDHtaIlJi0',
};

/**
 * Spends about what a real check of kind `like` costs, then answers false.
 * For unknown usernames; pass the kind most credentials use
 * (`typicalPasswordKind`).
 */
export async function dummyVerify(given: string, like: PasswordKind = 'plain'): Promise<false> {
  if (like === 'plain') {
    plainEquals('\u0000ctfg-no-such-user', given);
  } else {
    await verifyPassword(DUMMY_HASHES[like], given);
  }
  return false;
}

/** The kind most stored passwords use: what `dummyVerify` should imitate. */
export function typicalPasswordKind(storedPasswords: Iterable<string>): PasswordKind {
  const counts: Record<PasswordKind, number> = { plain: 0, argon2: 0, scrypt: 0 };
  for (const stored of storedPasswords) counts[passwordKind(stored)] += 1;
  let best: PasswordKind = 'plain';
  for (const kind of ['argon2', 'scrypt'] as const) if (counts[kind] > counts[best]) best = kind;
  return best;
}
