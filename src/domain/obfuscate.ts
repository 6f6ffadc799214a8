/**
 * `@OBFUSCATED_DISPLAYNAME@`: a display name a challenge checker can decode
 * and verify, but a player cannot casually forge.
 *
 * Format (bit-exact with the earlier engine, so existing checkers keep working):
 *   1. bytes  = UTF-8 of the display name
 *   2. append CRC-32 (IEEE 802.3 / zlib) of `bytes`, 4 bytes big-endian
 *   3. XOR every byte with the UTF-8 bytes of the key, repeated
 *   4. write as uppercase hexadecimal
 *
 * Decoding in another language, for challenge authors:
 *   data = bytes.fromhex(hex); key = key.encode()
 *   plain = bytes(b ^ key[i % len(key)] for i, b in enumerate(data))
 *   name, crc = plain[:-4], int.from_bytes(plain[-4:], 'big')
 *   assert zlib.crc32(name) == crc; name.decode('utf-8')
 *
 * Implemented without node: imports so the web app may use it too.
 */

/** The earlier engine's fixed key; used when CTFG_MASK_KEY is not set. */
export const DEFAULT_MASK_KEY = 'some-secret-key';

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as used by zlib, gzip and PNG (reflected polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const encoder = new TextEncoder();

function keyBytes(key: string): Uint8Array {
  const bytes = encoder.encode(key);
  // An empty key would mean "no masking" and, in the earlier engine, a crash;
  // the composition root must supply a key (DEFAULT_MASK_KEY when unset).
  if (bytes.length === 0) throw new RangeError('mask key must not be empty');
  return bytes;
}

function xorInPlace(buffer: Uint8Array, key: Uint8Array): void {
  for (let i = 0; i < buffer.length; i += 1) {
    buffer[i] = (buffer[i] ?? 0) ^ (key[i % key.length] ?? 0);
  }
}

const HEX_DIGITS = '0123456789ABCDEF';

/** Obfuscates a display name. Throws RangeError only for an empty key. */
export function obfuscateDisplayName(name: string, key: string = DEFAULT_MASK_KEY): string {
  const k = keyBytes(key);
  const data = encoder.encode(name);
  const buffer = new Uint8Array(data.length + 4);
  buffer.set(data);
  const crc = crc32(data);
  buffer[data.length] = crc >>> 24;
  buffer[data.length + 1] = (crc >>> 16) & 0xff;
  buffer[data.length + 2] = (crc >>> 8) & 0xff;
  buffer[data.length + 3] = crc & 0xff;
  xorInPlace(buffer, k);
  let hex = '';
  for (const byte of buffer) hex += (HEX_DIGITS[byte >>> 4] ?? '') + (HEX_DIGITS[byte & 0x0f] ?? '');
  return hex;
}

const HEX_STRING = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * The inverse of `obfuscateDisplayName`. Returns null when the input is not
 * even-length hex, is too short to hold a checksum, fails the checksum (wrong
 * key or tampered), or does not decode to valid UTF-8. Accepts lowercase hex.
 */
export function deobfuscateDisplayName(hex: string, key: string = DEFAULT_MASK_KEY): string | null {
  const k = keyBytes(key);
  if (hex.length < 8 || !HEX_STRING.test(hex)) return null;
  const buffer = new Uint8Array(hex.length / 2);
  for (let i = 0; i < buffer.length; i += 1) buffer[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  xorInPlace(buffer, k);
  const data = buffer.subarray(0, buffer.length - 4);
  const tail = buffer.subarray(buffer.length - 4);
  const stored = (((tail[0] ?? 0) << 24) | ((tail[1] ?? 0) << 16) | ((tail[2] ?? 0) << 8) | (tail[3] ?? 0)) >>> 0;
  if (stored !== crc32(data)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return null;
  }
}
