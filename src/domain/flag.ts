/**
 * Flag checking.
 *
 * A challenge's `flag` is a regular expression written by the author. A
 * submission is correct when, after trimming surrounding whitespace, the
 * regular expression finds exactly one match in it. Authors anchor with `^…$`;
 * the "exactly one" rule keeps unanchored flags such as `42` from accepting
 * `4242`.
 */

/**
 * Longest submission worth judging. Callers reject longer input before calling
 * `isCorrectFlag`, so an author's regex never runs over megabytes of input.
 */
export const MAX_FLAG_LENGTH = 1024;

export type CompiledFlag =
  | { readonly ok: true; readonly regex: RegExp }
  | { readonly ok: false; readonly message: string };

/**
 * Perl-style leading inline modifiers such as `(?i)`. JavaScript has no inline
 * flags, but game files written for the earlier (Perl-regex) engine use them,
 * so a leading group made only of i, m and s becomes the matching JS flags.
 */
const LEADING_MODIFIERS = /^\(\?([ims]+)\)/;

/** Compiles a flag pattern once, at load time. Never throws. */
export function compileFlag(source: string): CompiledFlag {
  if (source.length === 0) {
    return { ok: false, message: 'must not be empty (an empty pattern accepts only an empty submission)' };
  }
  let pattern = source;
  let flags = '';
  const modifiers = LEADING_MODIFIERS.exec(source);
  if (modifiers?.[1] !== undefined) {
    flags = [...new Set(modifiers[1])].join('');
    pattern = source.slice(modifiers[0].length);
  }
  try {
    return { ok: true, regex: new RegExp(pattern, flags) };
  } catch (err) {
    // V8 says "Invalid regular expression: /(abc/: Unterminated group"; the
    // last part is the useful one, the pattern itself is already in the file.
    const text = err instanceof Error ? err.message : String(err);
    const reason = text.slice(text.lastIndexOf(': ') + 2) || text;
    return { ok: false, message: `is not a valid regular expression: ${reason}` };
  }
}

/** Whitespace a player may paste around a flag: spaces, tabs, CR and LF. */
const SURROUNDING_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function trimSubmission(submission: string): string {
  return submission.replace(SURROUNDING_WHITESPACE, '');
}

/**
 * Global copies of compiled flags, used only for counting matches. Kept apart
 * from the regex handed out by `compileFlag` so callers never see a stateful
 * (`lastIndex`) regex; keyed weakly so reloaded challenge sets are collected.
 */
const globalCopies = new WeakMap<RegExp, RegExp>();

function globalCopyOf(regex: RegExp): RegExp {
  let copy = globalCopies.get(regex);
  if (copy === undefined) {
    const flags = regex.flags.replace(/[gy]/g, '') + 'g';
    copy = new RegExp(regex.source, flags);
    globalCopies.set(regex, copy);
  }
  return copy;
}

/**
 * True when the trimmed submission contains exactly one match of `regex`.
 * Overlong submissions are never correct (see MAX_FLAG_LENGTH).
 */
export function isCorrectFlag(regex: RegExp, submission: string): boolean {
  if (submission.length > MAX_FLAG_LENGTH) return false;
  const text = trimSubmission(submission);
  const re = globalCopyOf(regex);
  re.lastIndex = 0;
  let count = 0;
  try {
    let match: RegExpExecArray | null;
    while ((match = re.exec(text)) !== null) {
      count += 1;
      if (count > 1) break;
      // A zero-length match leaves lastIndex where it was; step past it or the
      // loop would find the same empty match forever.
      if (match[0].length === 0) re.lastIndex += 1;
    }
  } finally {
    // Safe to share: matching is synchronous, so no other caller sees this state.
    re.lastIndex = 0;
  }
  return count === 1;
}
