import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, DEFAULT_MASK_KEY, deobfuscateDisplayName, obfuscateDisplayName } from './obfuscate.js';

/** An independent reference: the SPEC's recipe written with Buffer and zlib. */
function reference(name: string, key: string): string {
  const data = Buffer.from(name, 'utf8');
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(zlibCrc32(data));
  const buf = Buffer.concat([data, sum]);
  const k = Buffer.from(key, 'utf8');
  for (let i = 0; i < buf.length; i += 1) buf[i] = (buf[i] ?? 0) ^ (k[i % k.length] ?? 0);
  return buf.toString('hex').toUpperCase();
}

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const sample = new TextEncoder().encode('Grüße, Station Meridian 🚀');
    expect(crc32(sample)).toBe(zlibCrc32(sample));
    expect(crc32(new Uint8Array())).toBe(0);
  });
});

describe('obfuscateDisplayName', () => {
  it('matches fixed vectors computed with Python zlib (default key)', () => {
    // python: d = n.encode(); d += zlib.crc32(d).to_bytes(4, 'big'); xor with key; .hex().upper()
    expect(obfuscateDisplayName('Ada')).toBe('320B0CD010B2ED');
    expect(obfuscateDisplayName('Zoë 🚀', DEFAULT_MASK_KEY)).toBe('2900AECE0D83FAF9F2341A03DF');
    expect(deobfuscateDisplayName('320B0CD010B2ED')).toBe('Ada');
  });

  it('matches the reference for many names and keys', () => {
    const names = ['Ada', 'player one', "O'Brien (team #3)", 'Zoë', '東京のハッカー', 'x'.repeat(30), 'ab'];
    const keys = [DEFAULT_MASK_KEY, 'k', 'ключ-🔑', 'a much longer key than any display name could be'];
    for (const name of names) {
      for (const key of keys) expect(obfuscateDisplayName(name, key)).toBe(reference(name, key));
    }
  });

  it('refuses an empty key', () => {
    expect(() => obfuscateDisplayName('Ada', '')).toThrow(RangeError);
  });
});

describe('deobfuscateDisplayName', () => {
  it('round-trips, including unicode', () => {
    for (const name of ['Ada', 'Zoë', '東京のハッカー', 'Ünïcödé ⌘', '']) {
      expect(deobfuscateDisplayName(obfuscateDisplayName(name, 'key'), 'key')).toBe(name);
    }
  });

  it('accepts lowercase hex', () => {
    expect(deobfuscateDisplayName(obfuscateDisplayName('Ada').toLowerCase())).toBe('Ada');
  });

  it('returns null for a wrong key, tampering or garbage', () => {
    const hex = obfuscateDisplayName('Ada', 'right');
    expect(deobfuscateDisplayName(hex, 'wrong')).toBeNull();
    const flipped = (hex[0] === 'A' ? 'B' : 'A') + hex.slice(1);
    expect(deobfuscateDisplayName(flipped, 'right')).toBeNull();
    expect(deobfuscateDisplayName('XYZ', 'right')).toBeNull();
    expect(deobfuscateDisplayName('ABC', 'right')).toBeNull();
    expect(deobfuscateDisplayName('AB', 'right')).toBeNull();
  });
});
