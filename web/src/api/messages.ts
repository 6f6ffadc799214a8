/**
 * Human wording for API failures, per screen. Kept pure (no DOM) so the mapping is unit-tested and
 * every code the SPEC lists has a sentence a player understands.
 */
import { ErrorCode } from '../../../src/protocol/api.js';
import type { ApiFailure } from './client.js';

export type FailureContext = 'login' | 'name' | 'submit' | 'hint' | 'load';

export function waitPhrase(seconds: number | null): string {
  if (seconds === null) return 'in a moment';
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} min`;
}

/** The clock's 403s (SPEC §7): the same sentence wherever a player tried to act. */
function clockClosed(code: string): string | null {
  if (code === ErrorCode.notStarted) return 'The event has not started yet.';
  if (code === ErrorCode.paused) return 'The event is paused. Submissions reopen when it resumes.';
  if (code === ErrorCode.ended) return 'The event is over. Submissions are closed.';
  return null;
}

export function describeFailure(failure: ApiFailure, context: FailureContext): string {
  if (failure.kind === 'network') {
    return "Can't reach the server. Check your connection and try again.";
  }
  const { status, code, retryAfter } = failure;
  if (status === 429 || code === ErrorCode.rateLimitExceeded) {
    const what = context === 'login' ? 'login attempts' : context === 'submit' ? 'wrong flags' : 'requests';
    return `Too many ${what}. Try again ${waitPhrase(retryAfter)}.`;
  }
  const closed = clockClosed(code);
  if (closed !== null && (context === 'submit' || context === 'hint')) return closed;
  switch (context) {
    case 'login':
      if (status === 401) return 'Wrong username or password.';
      break;
    case 'name':
      if (status === 409 || code === ErrorCode.nameTaken) return 'That name is already taken. Pick another one.';
      // The server's validation message says exactly which rule failed; show it verbatim.
      if (status === 400) return code;
      break;
    case 'submit':
      if (status === 403) return 'This challenge is locked. Solve its prerequisites first.';
      if (code === ErrorCode.unknownId) return 'This challenge no longer exists.';
      break;
    case 'hint':
      if (status === 402) return 'Not enough points to reveal this hint yet.';
      if (status === 403) return 'Reveal the earlier hints first.';
      if (code === ErrorCode.alreadyPurchased) return 'You already revealed this hint.';
      if (code === ErrorCode.unknownHint || code === ErrorCode.unknownChallenge) return 'This hint no longer exists.';
      break;
    case 'load':
      break;
  }
  if (status === 401) return 'Your session has ended. Please log in again.';
  if (status === 403 && code === ErrorCode.forbiddenOrigin) return 'The request was refused (cross-site). Reload the page.';
  if (status >= 500) return `The server had a problem (${status}). Please try again.`;
  return `Something went wrong (${code}).`;
}
