/**
 * Display-name rules (SPEC §3). Pure, so the web app can run the same checks
 * before sending and the server stays the authority.
 */

import { InputLimits } from '../protocol/limits.js';

export const DISPLAY_NAME_MIN = InputLimits.displayNameMin;
export const DISPLAY_NAME_MAX = InputLimits.displayNameMax;

/** Words a name must not contain, longest first so the message names the whole word. */
export const RESERVED_NAME_WORDS: readonly string[] = [
  'administrator',
  'gamemaster',
  'moderator',
  'official',
  'operator',
  'support',
  'system',
  'admin',
  'owner',
  'staff',
  'root',
  'ctfg',
  'mod',
];

export type DisplayNameCheck =
  | {
      readonly ok: true;
      /** The name to store and show: trimmed, inner whitespace collapsed, NFC. */
      readonly name: string;
      /** Case-insensitive uniqueness key (NFKC, lower case): store it under a unique index. */
      readonly key: string;
    }
  | { readonly ok: false; readonly message: string };

/**
 * Letters (any script) with their combining marks, decimal digits (any
 * script), the space, and the listed punctuation. Everything else — emoji,
 * control and zero-width characters, `<>&"` — is refused, which also keeps
 * names safe to drop into descriptions and HTML.
 */
const ALLOWED = /^[\p{L}\p{M}\p{Nd} \-_.,'!?@#()]*$/u;
const REPEATED = /(.)\1{4,}/u;

export const ALLOWED_CHARACTERS_MESSAGE =
  "Display name may only contain letters, digits, spaces and - _ . , ' ! ? @ # ( )";

/** The key two names collide on: "ＡＤＡ", "Ada" and "ada" are the same player. */
export function displayNameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

export function validateDisplayName(raw: string): DisplayNameCheck {
  // NFC first so "é" typed as e + accent counts and compares like "é".
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  const length = [...name].length;
  if (length < DISPLAY_NAME_MIN) {
    return { ok: false, message: `Display name must be at least ${DISPLAY_NAME_MIN} characters` };
  }
  if (length > DISPLAY_NAME_MAX) {
    return { ok: false, message: `Display name must be at most ${DISPLAY_NAME_MAX} characters` };
  }
  if (!ALLOWED.test(name)) {
    return { ok: false, message: ALLOWED_CHARACTERS_MESSAGE };
  }
  const key = displayNameKey(name);
  // Checked on the key so full-width or mixed-case look-alikes are caught too.
  const reserved = RESERVED_NAME_WORDS.find((word) => key.includes(word));
  if (reserved !== undefined) {
    return { ok: false, message: `Display name must not contain "${reserved}"` };
  }
  if (REPEATED.test(name.toLowerCase())) {
    return { ok: false, message: 'Display name must not repeat a character 5 or more times in a row' };
  }
  return { ok: true, name, key };
}
