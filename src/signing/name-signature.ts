/**
 * `@SIGNED_DISPLAYNAME@`: a display name with an HMAC, so organizers and
 * challenge checkers can prove which player a flag or text came from.
 *
 * Unlike `@OBFUSCATED_DISPLAYNAME@` (an XOR a player can undo from their own
 * tag, recovering the mask key), this uses its own secret, CTFG_SIGN_KEY,
 * that never reaches a player in any form.
 *
 * Format: `<user id>.<HEX(UTF-8 name)>.<HEX(tag)>`, uppercase hex, where
 *   tag = first 16 bytes of HMAC-SHA256(key, "ctfg-signed-name-v1\n<user id>\n<name>")
 * Only [0-9A-F.] appear, so the value pastes into any flag or form field.
 * The user id stays the same when the player renames; the name is the one
 * the player held when the value was rendered.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Domain separation: a tag made for this format is valid for nothing else. */
const CONTEXT = 'ctfg-signed-name-v1';
/** 128 bits: far beyond guessing, and keeps the value short enough for a flag. */
const TAG_BYTES = 16;

export interface SignedName {
  readonly userId: number;
  readonly name: string;
}

export type NameSigner = (userId: number, name: string) => string;

function tag(key: string, userId: number, name: string): Buffer {
  return createHmac('sha256', key).update(`${CONTEXT}\n${userId}\n${name}`, 'utf8').digest().subarray(0, TAG_BYTES);
}

function requireKey(key: string): void {
  // An empty HMAC key is legal for the algorithm but proves nothing.
  if (key.length === 0) throw new RangeError('signing key must not be empty');
}

/** The signer for one key; renders a value per player. */
export function nameSigner(key: string): NameSigner {
  requireKey(key);
  return (userId, name) =>
    `${userId}.${Buffer.from(name, 'utf8').toString('hex').toUpperCase()}.${tag(key, userId, name).toString('hex').toUpperCase()}`;
}

const VALUE = /^([1-9][0-9]{0,15})\.((?:[0-9A-Fa-f]{2})+)\.([0-9A-Fa-f]{32})$/;

/**
 * Checks a value against the key. Null when it is malformed, the tag does not
 * match (wrong key, edited id or name) or the name is not valid UTF-8.
 * Accepts lowercase hex and surrounding whitespace (pasted values).
 */
export function verifySignedName(value: string, key: string): SignedName | null {
  requireKey(key);
  const match = VALUE.exec(value.trim());
  if (!match) return null;
  const userId = Number(match[1]);
  if (!Number.isSafeInteger(userId)) return null;
  let name: string;
  try {
    name = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Buffer.from(match[2] ?? '', 'hex'));
  } catch {
    return null;
  }
  const given = Buffer.from(match[3] ?? '', 'hex');
  return timingSafeEqual(given, tag(key, userId, name)) ? { userId, name } : null;
}
