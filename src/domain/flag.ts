import { RE2JS } from 're2js';

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

/**
 * A compiled flag. Judged by re2js, a pure-JS port of RE2: matching time is
 * linear in the submission, so no author pattern (e.g. `^CTF\{([a-z0-9]+_?)+\}$`)
 * can hold the event loop by backtracking.
 */
export interface FlagMatcher {
  readonly source: string;
  readonly re2: RE2JS;
}

export type CompiledFlag = { readonly ok: true; readonly matcher: FlagMatcher } | { readonly ok: false; readonly message: string };

/**
 * Perl-style leading inline modifiers such as `(?i)`: RE2 understands them
 * itself; JavaScript does not, so the JS check below strips them first.
 */
const LEADING_MODIFIERS = /^\(\?([ims]+)\)/;

/** What V8 thinks of the pattern: null when it compiles, else its reason. */
function javascriptError(source: string): string | null {
  const modifiers = LEADING_MODIFIERS.exec(source);
  const pattern = modifiers ? source.slice(modifiers[0].length) : source;
  try {
    new RegExp(pattern, modifiers?.[1] ? [...new Set(modifiers[1])].join('') : '');
    return null;
  } catch (err) {
    // V8 says "Invalid regular expression: /(abc/: Unterminated group"; the
    // last part is the useful one, the pattern itself is already in the file.
    const text = err instanceof Error ? err.message : String(err);
    return text.slice(text.lastIndexOf(': ') + 2) || text;
  }
}

/** Compiles a flag pattern once, at load time. Never throws. */
export function compileFlag(source: string): CompiledFlag {
  if (source.length === 0) {
    return { ok: false, message: 'must not be empty (an empty pattern accepts only an empty submission)' };
  }
  try {
    return { ok: true, matcher: { source, re2: RE2JS.compile(source) } };
  } catch (err) {
    const jsReason = javascriptError(source);
    if (jsReason !== null) return { ok: false, message: `is not a valid regular expression: ${jsReason}` };
    // Valid JavaScript but not RE2: backreferences, lookaround and the like,
    // which need a backtracking engine that a hostile submission could stall.
    const reason = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    return {
      ok: false,
      message: `uses a feature the linear-time flag engine (RE2 syntax) does not support (${reason}); backreferences and lookahead/lookbehind are not available, rewrite the pattern without them`,
    };
  }
}

/** Whitespace a player may paste around a flag: spaces, tabs, CR and LF. */
const SURROUNDING_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export function trimSubmission(submission: string): string {
  return submission.replace(SURROUNDING_WHITESPACE, '');
}

/**
 * True when the trimmed submission contains exactly one match of the flag.
 * Overlong submissions are never correct (see MAX_FLAG_LENGTH).
 */
export function isCorrectFlag(flag: FlagMatcher, submission: string): boolean {
  if (submission.length > MAX_FLAG_LENGTH) return false;
  const matcher = flag.re2.matcher(trimSubmission(submission));
  // find() steps past empty matches itself, like a global JS regex with lastIndex care.
  let count = 0;
  while (count < 2 && matcher.find()) count += 1;
  return count === 1;
}
