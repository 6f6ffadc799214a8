import type { SubmissionQuery, SubmissionRecord } from './store.js';

/** SQL shared by the SQLite and PostgreSQL submissions logs. */

/** A submissions row joined with its username (PostgreSQL answers bigints as strings). */
export interface SubmissionRow {
  id: number | string;
  ts: number | string;
  user_id: number;
  username: string;
  displayname: string;
  challenge_id: number;
  result: 'correct' | 'incorrect';
  flag: string;
  address: string;
}

export function toSubmission(r: SubmissionRow): SubmissionRecord {
  return {
    id: Number(r.id),
    ts: Number(r.ts),
    userId: r.user_id,
    username: r.username,
    displayname: r.displayname,
    challengeId: r.challenge_id,
    result: r.result,
    flag: r.flag,
    address: r.address,
  };
}

/** The WHERE clause of a submissions page, with `?` placeholders in the order of `params`. */
export function submissionFilter(q: SubmissionQuery, placeholder: (n: number) => string): { where: string; params: Array<number | string> } {
  const terms: string[] = [];
  const params: Array<number | string> = [];
  const add = (sql: string, value: number | string): void => {
    params.push(value);
    terms.push(`${sql} ${placeholder(params.length)}`);
  };
  if (q.userId !== undefined) add('s.user_id =', q.userId);
  if (q.challengeId !== undefined) add('s.challenge_id =', q.challengeId);
  if (q.result !== undefined) add('s.result =', q.result);
  if (q.beforeId !== undefined) add('s.id <', q.beforeId);
  return { where: terms.length > 0 ? `WHERE ${terms.join(' AND ')}` : '', params };
}

export const MINUTE_MS = 60_000;

/** Judged submits per minute of one batch: minute start → [total, wrong]. */
export function countByMinute(rows: ReadonlyArray<{ readonly ts: number; readonly result: 'correct' | 'incorrect' }>): Map<number, [number, number]> {
  const counts = new Map<number, [number, number]>();
  for (const r of rows) {
    const minute = Math.floor(r.ts / MINUTE_MS) * MINUTE_MS;
    let c = counts.get(minute);
    if (!c) counts.set(minute, (c = [0, 0]));
    c[0]++;
    if (r.result === 'incorrect') c[1]++;
  }
  return counts;
}

/**
 * Recomputes submission_minutes from submissions (same SQL on both backends):
 * for a tool that fills submissions directly, such as an import.
 */
export const REBUILD_SUBMISSION_MINUTES = [
  'DELETE FROM submission_minutes',
  `INSERT INTO submission_minutes (minute, total, wrong)
   SELECT (ts / ${MINUTE_MS}) * ${MINUTE_MS}, COUNT(*), SUM(CASE WHEN result = 'incorrect' THEN 1 ELSE 0 END) FROM submissions GROUP BY 1`,
] as const;
