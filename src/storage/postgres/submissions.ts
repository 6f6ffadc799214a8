import type pg from 'pg';
import type { SubmissionInput, SubmissionQuery, SubmissionRecord, SubmissionStats } from '../store.js';
import { submissionFilter, toSubmission, type SubmissionRow } from '../submission-sql.js';

const MINUTE_MS = 60_000;

/**
 * One statement per batch. nextval runs in `ord` order, so the ids, sorted,
 * belong to the rows in input order even when other instances insert at once.
 */
const INSERT = `
INSERT INTO submissions (ts, user_id, displayname, challenge_id, result, flag, address)
SELECT ts, user_id, displayname, challenge_id, result, flag, address
FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[])
  WITH ORDINALITY AS t(ts, user_id, displayname, challenge_id, result, flag, address, ord)
ORDER BY ord
RETURNING id`;

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
      this.pool.query<{ n: string }>("SELECT COUNT(*) AS n FROM submissions WHERE result = 'incorrect'"),
      this.pool.query<{ minute: string; n: string }>(
        `SELECT (ts / ${MINUTE_MS}) * ${MINUTE_MS} AS minute, COUNT(*) AS n FROM submissions WHERE ts >= $1 GROUP BY minute ORDER BY minute`,
        [sinceTs],
      ),
    ]);
    return { wrong: Number(wrong.rows[0]?.n ?? 0), perMinute: perMinute.rows.map((r) => [Number(r.minute), Number(r.n)]) };
  }
}
