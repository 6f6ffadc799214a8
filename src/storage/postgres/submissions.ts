import type pg from 'pg';
import type { SubmissionInput, SubmissionQuery, SubmissionRecord, SubmissionStats } from '../store.js';
import { MINUTE_MS, submissionFilter, toSubmission, type SubmissionRow } from '../submission-sql.js';

/**
 * One statement per batch: the rows, then their per-minute counts. nextval
 * runs in `ord` order, so the ids, sorted, belong to the rows in input order
 * even when other instances insert at the same time.
 */
const INSERT = `
WITH ins AS (
  INSERT INTO submissions (ts, user_id, displayname, challenge_id, result, flag, address)
  SELECT ts, user_id, displayname, challenge_id, result, flag, address
  FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[])
    WITH ORDINALITY AS t(ts, user_id, displayname, challenge_id, result, flag, address, ord)
  ORDER BY ord
  RETURNING id, ts, result
), counted AS (
  INSERT INTO submission_minutes (minute, total, wrong)
  SELECT (ts / ${MINUTE_MS}) * ${MINUTE_MS}, COUNT(*), COUNT(*) FILTER (WHERE result = 'incorrect') FROM ins GROUP BY 1
  ON CONFLICT (minute) DO UPDATE SET total = submission_minutes.total + excluded.total, wrong = submission_minutes.wrong + excluded.wrong
)
SELECT id FROM ins`;

/** The submissions log on PostgreSQL (same contract as SqliteSubmissions). */
export class PostgresSubmissions {
  constructor(private readonly pool: pg.Pool) {}

  async add(rows: readonly SubmissionInput[]): Promise<SubmissionRecord[]> {
    if (rows.length === 0) return [];
    const column = <K extends keyof SubmissionInput>(k: K): Array<SubmissionInput[K]> => rows.map((r) => r[k]);
    const params = [column('ts'), column('userId'), column('displayname'), column('challengeId'), column('result'), column('flag'), column('address')];
    const ids = (await this.pool.query<{ id: string }>(INSERT, params)).rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    return rows.map((r, i) => ({ ...r, id: ids[i] as number }));
  }

  async list(q: SubmissionQuery): Promise<SubmissionRecord[]> {
    const { where, params } = submissionFilter(q, (n) => `$${n}`);
    const sql = `SELECT s.*, u.username FROM submissions s JOIN users u ON u.id = s.user_id ${where} ORDER BY s.id DESC LIMIT $${params.length + 1}`;
    return (await this.pool.query<SubmissionRow>(sql, [...params, q.limit])).rows.map(toSubmission);
  }

  async stats(sinceTs: number): Promise<SubmissionStats> {
    const [wrong, perMinute] = await Promise.all([
      this.pool.query<{ n: string }>('SELECT COALESCE(SUM(wrong), 0) AS n FROM submission_minutes'),
      this.pool.query<{ minute: string; total: number }>('SELECT minute, total FROM submission_minutes WHERE minute >= $1 ORDER BY minute', [sinceTs]),
    ]);
    return { wrong: Number(wrong.rows[0]?.n ?? 0), perMinute: perMinute.rows.map((r) => [Number(r.minute), Number(r.total)]) };
  }
}
