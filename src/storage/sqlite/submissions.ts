import type Database from 'better-sqlite3';
import type { SubmissionInput, SubmissionQuery, SubmissionRecord, SubmissionStats } from '../store.js';
import { submissionFilter, toSubmission, type SubmissionRow } from '../submission-sql.js';

const MINUTE_MS = 60_000;

/** The submissions log on SQLite: one transaction per batch, statements prepared once. */
export class SqliteSubmissions {
  private readonly insert;
  private readonly wrong;
  private readonly perMinute;
  private readonly pages = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO submissions (ts, user_id, displayname, challenge_id, result, flag, address) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    );
    this.wrong = db.prepare("SELECT COUNT(*) AS n FROM submissions WHERE result = 'incorrect'");
    this.perMinute = db.prepare(`SELECT (ts / ${MINUTE_MS}) * ${MINUTE_MS} AS minute, COUNT(*) AS n FROM submissions WHERE ts >= ? GROUP BY minute ORDER BY minute`);
  }

  add(rows: readonly SubmissionInput[]): SubmissionRecord[] {
    return this.db.transaction(() =>
      rows.map((r) => {
        const { id } = this.insert.get(r.ts, r.userId, r.displayname, r.challengeId, r.result, r.flag, r.address) as { id: number };
        return { ...r, id };
      }),
    )();
  }

  list(q: SubmissionQuery): SubmissionRecord[] {
    const { where, params } = submissionFilter(q, () => '?');
    let stmt = this.pages.get(where);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT s.*, u.username FROM submissions s JOIN users u ON u.id = s.user_id ${where} ORDER BY s.id DESC LIMIT ?`);
      this.pages.set(where, stmt);
    }
    return (stmt.all(...params, q.limit) as SubmissionRow[]).map(toSubmission);
  }

  stats(sinceTs: number): SubmissionStats {
    const rows = this.perMinute.all(sinceTs) as Array<{ minute: number; n: number }>;
    return { wrong: (this.wrong.get() as { n: number }).n, perMinute: rows.map((r) => [r.minute, r.n]) };
  }
}
