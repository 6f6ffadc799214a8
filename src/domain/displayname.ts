import { remove as replaceConfusables } from 'confusables';

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

/**
 * The key two names collide on, a confusable skeleton in the spirit of Unicode
 * TR 39: compatibility forms folded (NFKC), look-alike letters mapped to
 * their Latin twin (the `confusables` package's table: Cyrillic "а", "ѕ"…),
 * combining marks dropped and case folded. "ＡＤＡ", "Аda" (Cyrillic А),
 * "Ada" and "ada" are the same player; reserved words are checked on it too.
 */
export function displayNameKey(name: string): string {
  const mapped = replaceConfusables(name.normalize('NFKC'));
  return mapped.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
}

/**
 * Characters that draw nothing or nearly nothing: format characters (zero
 * width spaces and joiners, bidi controls), Hangul fillers, the combining
 * grapheme joiner, variation selectors, blank Braille and similar fillers.
 */
const INVISIBLE = /\p{Cf}|\u115F|\u1160|\u3164|\uFFA0|\u034F|\u17B4|\u17B5|[\u180B-\u180F]|\u2800|[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}]/u;
/** More than two combining marks on one letter ("Zalgo" text spilling over its neighbours). */
const MARK_STACK = /\p{M}{3,}/u;

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
  if (INVISIBLE.test(name)) {
    return { ok: false, message: 'Display name must not contain invisible characters (zero-width, filler or variation-selector characters)' };
  }
  if (MARK_STACK.test(name.normalize('NFD'))) {
    return { ok: false, message: 'Display name must not stack more than 2 accents or marks on one letter' };
  }
  if (!ALLOWED.test(name)) {
    return { ok: false, message: ALLOWED_CHARACTERS_MESSAGE };
  }
  const key = displayNameKey(name);
  if (key.replace(/[\s\-_.,'!?@#()]/gu, '').length === 0) {
    return { ok: false, message: 'Display name must contain at least one letter or digit' };
  }
  // Checked on the key so full-width, mixed-case and other-script look-alikes are caught too.
  const reserved = RESERVED_NAME_WORDS.find((word) => key.includes(word));
  if (reserved !== undefined) {
    return { ok: false, message: `Display name must not contain "${reserved}"` };
  }
  if (REPEATED.test(name.toLowerCase())) {
    return { ok: false, message: 'Display name must not repeat a character 5 or more times in a row' };
  }
  return { ok: true, name, key };
}
