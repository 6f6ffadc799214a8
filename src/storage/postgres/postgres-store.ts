import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type {
  AdjustInput,
  AdminSessionRecord,
  AnnouncementRecord,
  AuditInput,
  AuditRecord,
  EventRecord,
  HintInput,
  HintOutcome,
  ResetMark,
  ResetOutcome,
  RevokeInput,
  SessionRecord,
  SolveInput,
  SolveOutcome,
  Store,
  StoredGame,
  SubmissionInput,
  SubmissionQuery,
  SubmissionRecord,
  SubmissionStats,
  UserRecord,
} from '../store.js';
import { postgresConfig } from './connection.js';
import { migratePostgres } from './migrations.js';
import { collisionAudits, planNameRekey, type NamedUser, type NameRekeyReport } from '../name-rekey.js';
import { PostgresSubmissions } from './submissions.js';
import { SolveBatcher } from './solve-batch.js';
import { buyHint, rankedSolve, Refusal } from './event-writes.js';
import { INSERT_ADJUST, INSERT_SOLVE, toEvent, toUser, type EventRow, type UserRow } from './rows.js';

const UNIQUE_VIOLATION = '23505';
const isUniqueViolation = (err: unknown): boolean => err instanceof Error && (err as { code?: string }).code === UNIQUE_VIOLATION;

export interface PostgresStoreOptions {
  /** any form libpq accepts, including a socket folder in `?host=` */
  readonly connectionString: string;
  /** user when the URL names none (PGUSER or the OS user); default: pg's own fallback */
  readonly defaultUser?: string;
  readonly poolSize?: number;
}

/** The shared store for several instances: same contract and guarantees as the SQLite store. */
export class PostgresStore implements Store {
  private readonly submissions: PostgresSubmissions;
  private readonly solves: SolveBatcher;

  private constructor(private readonly pool: pg.Pool) {
    this.submissions = new PostgresSubmissions(pool);
    this.solves = new SolveBatcher(pool);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({
      ...postgresConfig({ url: options.connectionString, defaultUser: options.defaultUser ?? '' }),
      max: options.poolSize ?? 10,
    });
    pool.on('error', () => undefined); // idle-client errors surface on the next query instead
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      await pool.end();
      throw new Error(`cannot connect to PostgreSQL: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    try {
      await migratePostgres(client);
    } finally {
      client.release();
    }
    return new PostgresStore(pool);
  }

  /** Runs `work` in a transaction on one client; rolls back on any throw. */
  private async tx<T>(work: (c: pg.PoolClient) => Promise<T>, isolation = 'READ COMMITTED'): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query(`BEGIN ISOLATION LEVEL ${isolation}`);
      const result = await work(c);
      await c.query('COMMIT');
      return result;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async syncUsers(usernames: readonly string[]): Promise<UserRecord[]> {
    if (usernames.length > 0) {
      await this.pool.query('INSERT INTO users (username) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (username) DO NOTHING', [usernames]);
    }
    const sql = 'SELECT id, username, displayname, ban_reason, unranked, last_seen FROM users ORDER BY id';
    return (await this.pool.query<UserRow>(sql)).rows.map(toUser);
  }

  private async resetMark(c: pg.PoolClient | pg.Pool): Promise<ResetMark> {
    const rows = (await c.query<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('reset_count', 'reset_after_id')")).rows;
    const get = (k: string): number => Number(rows.find((r) => r.key === k)?.value ?? 0);
    return { count: get('reset_count'), afterId: get('reset_after_id') };
  }

  async load(): Promise<StoredGame> {
    return this.tx(async (c) => {
      const events = (await c.query<EventRow>('SELECT * FROM events ORDER BY id')).rows.map(toEvent);
      const last = await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'last_event_id'");
      return { events, lastId: Number(last.rows[0]?.value ?? 0), reset: await this.resetMark(c) };
    }, 'REPEATABLE READ');
  }

  async eventsAfter(afterId: number): Promise<{ events: EventRecord[]; reset: ResetMark }> {
    return this.tx(async (c) => {
      const events = (await c.query<EventRow>('SELECT * FROM events WHERE id > $1 ORDER BY id', [afterId])).rows.map(toEvent);
      return { events, reset: await this.resetMark(c) };
    }, 'REPEATABLE READ');
  }

  async sharedSecret(name: string): Promise<string> {
    const key = `secret:${name}`;
    await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, randomBytes(32).toString('base64url')]);
    return (await this.pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value as string;
  }

  async rekeyDisplayNames(keyOf: (name: string) => string, ts: number): Promise<NameRekeyReport> {
    return this.tx(async (c) => {
      // Instances starting together: one rewrites, the next finds nothing left to do.
      await c.query('SELECT pg_advisory_xact_lock(727002)');
      const users = (await c.query<NamedUser>('SELECT id, username, displayname, displayname_key AS key FROM users WHERE displayname IS NOT NULL ORDER BY id FOR UPDATE')).rows;
      const plan = planNameRekey(users, keyOf);
      const cleared = plan.collisions.flatMap((x) => x.cleared.map((u) => u.id));
      const moving = plan.rekey.map((r) => r.id);
      await c.query('UPDATE users SET displayname = NULL, displayname_key = NULL WHERE id = ANY($1::int[])', [cleared]);
      // Free every moving key before writing the new ones: a chain of moves never trips the unique index.
      await c.query('UPDATE users SET displayname_key = NULL WHERE id = ANY($1::int[])', [moving]);
      await c.query('UPDATE users u SET displayname_key = v.key FROM unnest($1::int[], $2::text[]) AS v(id, key) WHERE u.id = v.id', [moving, plan.rekey.map((r) => r.key)]);
      for (const a of collisionAudits(plan.collisions, ts)) {
        await c.query('INSERT INTO audit (ts, admin, address, action, detail) VALUES ($1, $2, $3, $4, $5)', [a.ts, a.admin, a.address, a.action, a.detail]);
      }
      return { checked: users.length, rekeyed: plan.rekey.length, collisions: plan.collisions };
    });
  }

  async setDisplayName(userId: number, name: string, key: string): Promise<'ok' | 'taken'> {
    if (((await this.pool.query('SELECT 1 FROM blocked_names WHERE key = $1', [key])).rowCount ?? 0) > 0) return 'taken';
    try {
      await this.pool.query('UPDATE users SET displayname = $1, displayname_key = $2 WHERE id = $3', [name, key, userId]);
      return 'ok';
    } catch (err) {
      if (isUniqueViolation(err)) return 'taken';
      throw err;
    }
  }

  async recordSolve(input: SolveInput): Promise<SolveOutcome> {
    if (input.bonus?.length) return this.recordRankedSolve(input, input.bonus);
    // Team mode: a solve is also unique per team, which the batched statement does not check.
    if (!input.team) return this.solves.record(input);
    try {
      const r = await this.pool.query<EventRow>(INSERT_SOLVE, [input.userId, input.challengeId, input.points, input.ts, input.reload, input.team]);
      const row = r.rows[0];
      return row ? { kind: 'recorded', event: toEvent(row) } : { kind: 'already_solved' };
    } catch (err) {
      if (isUniqueViolation(err)) return { kind: 'already_solved' };
      throw err;
    }
  }

  private async recordRankedSolve(input: SolveInput, bonus: readonly number[]): Promise<SolveOutcome> {
    try {
      return await this.tx((c) => rankedSolve(c, input, bonus));
    } catch (err) {
      if (err instanceof Refusal || isUniqueViolation(err)) return { kind: 'already_solved' };
      throw err;
    }
  }

  async purchaseHint(input: HintInput): Promise<HintOutcome> {
    try {
      return await this.tx((c) => buyHint(c, input));
    } catch (err) {
      // A refusal rolls the counter bump back: ids stay gapless.
      if (err instanceof Refusal) return err.outcome;
      if (isUniqueViolation(err)) return { kind: 'already_purchased' };
      throw err;
    }
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.pool.query('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [s.idHash, s.userId, s.createdAt, s.expiresAt]);
    await this.pool.query('UPDATE users SET last_seen = $1 WHERE id = $2', [s.createdAt, s.userId]);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const r = await this.pool.query<{ user_id: number; created_at: string; expires_at: string }>('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
    const row = r.rows[0];
    return row ? { idHash, userId: row.user_id, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) } : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async deleteSessionsExcept(usernames: readonly string[]): Promise<number> {
    const sql = 'DELETE FROM sessions WHERE user_id NOT IN (SELECT id FROM users WHERE username = ANY($1::text[]))';
    return (await this.pool.query(sql, [usernames])).rowCount ?? 0;
  }

  async trimSessions(userId: number, keep: number): Promise<string[]> {
    const sql =
      'DELETE FROM sessions WHERE user_id = $1 AND id_hash NOT IN (SELECT id_hash FROM sessions WHERE user_id = $1 ORDER BY created_at DESC, id_hash LIMIT $2) RETURNING id_hash';
    const r = await this.pool.query<{ id_hash: string }>(sql, [userId, keep]);
    return r.rows.map((row) => row.id_hash);
  }

  async reset(): Promise<ResetOutcome> {
    return this.tx(async (c) => {
      // The counter row lock orders the reset with every event write.
      const last = await c.query<{ value: string }>("SELECT value FROM meta WHERE key = 'last_event_id' FOR UPDATE");
      const previous = await this.resetMark(c);
      const mark: ResetMark = { count: previous.count + 1, afterId: Number(last.rows[0]?.value ?? 0) };
      const events = (await c.query('DELETE FROM events')).rowCount ?? 0;
      const names = (await c.query('UPDATE users SET displayname = NULL, displayname_key = NULL WHERE displayname IS NOT NULL')).rowCount ?? 0;
      const sessions = (await c.query('DELETE FROM sessions')).rowCount ?? 0;
      await c.query("UPDATE meta SET value = $1 WHERE key = 'reset_count'", [String(mark.count)]);
      await c.query("UPDATE meta SET value = $1 WHERE key = 'reset_after_id'", [String(mark.afterId)]);
      const announcements = (await c.query('DELETE FROM announcements')).rowCount ?? 0;
      await c.query("DELETE FROM meta WHERE key = 'event_reveal'");
      // The submissions log is part of the play that a reset forgets.
      await c.query('DELETE FROM submissions');
      await c.query('DELETE FROM submission_minutes');
      return { events, names, sessions, announcements, mark };
    });
  }

  async readSetting(key: string): Promise<string | null> {
    return (await this.pool.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key])).rows[0]?.value ?? null;
  }

  async writeSetting(key: string, value: string | null): Promise<void> {
    if (value === null) await this.pool.query('DELETE FROM meta WHERE key = $1', [key]);
    else await this.pool.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async addAnnouncement(text: string, ts: number, key?: string): Promise<AnnouncementRecord | null> {
    const r = await this.pool.query<{ id: string; ts: string; text: string }>(
      'INSERT INTO announcements (ts, text, dedupe_key) VALUES ($1, $2, $3) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, ts, text',
      [ts, text, key ?? null],
    );
    const row = r.rows[0];
    return row ? { id: Number(row.id), ts: Number(row.ts), text: row.text } : null;
  }

  async deleteAnnouncement(id: number): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM announcements WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async listAnnouncements(): Promise<AnnouncementRecord[]> {
    const r = await this.pool.query<{ id: string; ts: string; text: string }>('SELECT id, ts, text FROM announcements ORDER BY id DESC');
    return r.rows.map((row) => ({ id: Number(row.id), ts: Number(row.ts), text: row.text }));
  }

  async createAdminSession(s: AdminSessionRecord): Promise<void> {
    await this.pool.query('DELETE FROM admin_sessions WHERE expires_at <= $1', [s.createdAt]);
    await this.pool.query('INSERT INTO admin_sessions (id_hash, name, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
      s.idHash,
      s.name,
      s.createdAt,
      s.expiresAt,
    ]);
  }

  async getAdminSession(idHash: string): Promise<AdminSessionRecord | null> {
    const r = await this.pool.query<{ name: string; created_at: string; expires_at: string }>('SELECT * FROM admin_sessions WHERE id_hash = $1', [idHash]);
    const row = r.rows[0];
    return row ? { idHash, name: row.name, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) } : null;
  }

  async deleteAdminSession(idHash: string): Promise<void> {
    await this.pool.query('DELETE FROM admin_sessions WHERE id_hash = $1', [idHash]);
  }

  async addAudit(e: AuditInput): Promise<void> {
    await this.pool.query('INSERT INTO audit (ts, admin, address, action, detail) VALUES ($1, $2, $3, $4, $5)', [e.ts, e.admin, e.address, e.action, e.detail]);
  }

  async listAudit(limit: number, beforeId: number | null): Promise<AuditRecord[]> {
    const r = await this.pool.query<{ id: string; ts: string; admin: string; address: string; action: string; detail: string }>(
      'SELECT * FROM audit WHERE id < $1 ORDER BY id DESC LIMIT $2',
      [beforeId ?? Number.MAX_SAFE_INTEGER, limit],
    );
    return r.rows.map((row) => ({ ...row, id: Number(row.id), ts: Number(row.ts) }));
  }

  async setBan(userId: number, reason: string | null): Promise<string[]> {
    return this.tx(async (c) => {
      await c.query('UPDATE users SET ban_reason = $1 WHERE id = $2', [reason, userId]);
      if (reason === null) return [];
      const r = await c.query<{ id_hash: string }>('DELETE FROM sessions WHERE user_id = $1 RETURNING id_hash', [userId]);
      return r.rows.map((row) => row.id_hash);
    });
  }

  async setUnranked(userId: number, unranked: boolean): Promise<void> {
    await this.pool.query('UPDATE users SET unranked = $1 WHERE id = $2', [unranked, userId]);
  }

  async clearName(userId: number, key: string): Promise<void> {
    await this.tx(async (c) => {
      await c.query('INSERT INTO blocked_names (key) VALUES ($1) ON CONFLICT (key) DO NOTHING', [key]);
      await c.query('UPDATE users SET displayname = NULL, displayname_key = NULL WHERE id = $1', [userId]);
    });
  }

  async recordAdjust(input: AdjustInput): Promise<EventRecord> {
    const r = await this.pool.query<EventRow>(INSERT_ADJUST, [input.userId, input.points, input.ts, input.reason, input.team ?? null]);
    return toEvent(r.rows[0] as EventRow);
  }

  async revokeSolve(input: RevokeInput): Promise<EventRecord | null> {
    try {
      return await this.tx(async (c) => {
        // The counter row lock first, as every event write: ids stay in commit order.
        const next = await c.query<{ id: string }>("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'last_event_id' RETURNING value AS id");
        const marked = await c.query(
          "UPDATE events SET revoked = true WHERE user_id = $1 AND challenge_id = $2 AND kind = 'score' AND NOT revoked",
          [input.userId, input.challengeId],
        );
        if ((marked.rowCount ?? 0) === 0) throw new Refusal({ kind: 'locked' });
        const row = await c.query<EventRow>(
          "INSERT INTO events (id, user_id, challenge_id, kind, hint_id, points, ts, reload, reason) VALUES ($1, $2, $3, 'revoke', NULL, 0, $4, false, $5) RETURNING *",
          [next.rows[0]?.id, input.userId, input.challengeId, input.ts, input.reason],
        );
        return toEvent(row.rows[0] as EventRow);
      });
    } catch (err) {
      // Nothing to revoke: the rollback undoes the counter bump.
      if (err instanceof Refusal) return null;
      throw err;
    }
  }

  async addSubmissions(rows: readonly SubmissionInput[]): Promise<SubmissionRecord[]> {
    return this.submissions.add(rows);
  }

  async listSubmissions(query: SubmissionQuery): Promise<SubmissionRecord[]> {
    return this.submissions.list(query);
  }

  async submissionStats(sinceTs: number): Promise<SubmissionStats> {
    return this.submissions.stats(sinceTs);
  }

  async checkWritable(): Promise<void> {
    await this.tx(async (c) => {
      await c.query("UPDATE meta SET value = value WHERE key = 'reset_count'");
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
