/**
 * The live submissions tail, kept pure: narrowing `{"type":"submission",…}` messages, the filter
 * the organizer set, and folding live rows into the list the page shows (newest first, no
 * duplicates when a live row and a fetched page overlap).
 */
import type { AdminSubmission } from '../../../src/protocol/console.js';

export interface SubmissionFilter {
  /** login name, exact (as the API filters) */
  readonly username: string;
  readonly challengeId: number | null;
  readonly result: 'correct' | 'incorrect' | null;
}

export const NO_FILTER: SubmissionFilter = { username: '', challengeId: null, result: null };

/** How many rows the tail keeps on screen; older ones come back with "Load older". */
export const TAIL_MAX = 500;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A submission message from the admin socket, or null for anything else. */
export function parseSubmission(text: string): AdminSubmission | null {
  if (!text.includes('"submission"')) return null; // cheap pre-check: most messages are events
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data) || data.type !== 'submission') return null;
  if (typeof data.id !== 'number' || typeof data.ts !== 'number' || typeof data.username !== 'string') return null;
  if (typeof data.challenge_id !== 'number' || (data.result !== 'correct' && data.result !== 'incorrect')) return null;
  return {
    id: data.id,
    ts: data.ts,
    username: data.username,
    displayname: typeof data.displayname === 'string' ? data.displayname : data.username,
    challenge_id: data.challenge_id,
    result: data.result,
    flag: typeof data.flag === 'string' ? data.flag : '',
    address: typeof data.address === 'string' ? data.address : '',
  };
}

export function matchesFilter(s: AdminSubmission, f: SubmissionFilter): boolean {
  if (f.username !== '' && s.username.toLowerCase() !== f.username.toLowerCase()) return false;
  if (f.challengeId !== null && s.challenge_id !== f.challengeId) return false;
  if (f.result !== null && s.result !== f.result) return false;
  return true;
}

/** Newest first, each id once, at most `max` rows. */
export function mergeSubmissions(current: readonly AdminSubmission[], incoming: readonly AdminSubmission[], max = TAIL_MAX): AdminSubmission[] {
  const byId = new Map<number, AdminSubmission>();
  for (const s of current) byId.set(s.id, s);
  for (const s of incoming) byId.set(s.id, s);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, max);
}

/** The id to page back from: the oldest row shown. */
export function oldestId(list: readonly AdminSubmission[]): number | null {
  let min: number | null = null;
  for (const s of list) if (min === null || s.id < min) min = s.id;
  return min;
}
