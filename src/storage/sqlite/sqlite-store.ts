import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { openDatabase, type SqliteStoreOptions } from './open.js';
import { toEvent, toUser, type EventRow, type SessionRow, type UserRow } from './rows.js';
import { collisionAudits, planNameRekey, type NamedUser, type NameRekeyReport } from '../name-rekey.js';
import { SqliteSolveBatch } from './solve-batch.js';
import { SqliteSubmissions } from './submissions.js';

export type { SqliteStoreOptions } from './open.js';
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


export const DB_FILE_NAME = 'events.db';

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err as { code: string }).code.startsWith('SQLITE_CONSTRAINT_UNIQUE');
}

/**
 * The embedded store: one SQLite file in WAL mode. better-sqlite3 is
 * synchronous, and Node runs one request at a time, so every method below is a
 * single atomic step (solves: one transaction per turn of the event loop,
 * solve-batch.ts); the unique indexes are the last line of defence.
 */
export class SqliteStore implements Store {
  readonly file: string;
  private readonly db: BetterSqlite3.Database;
  private readonly stmts;
  private readonly submissions: SqliteSubmissions;
  private readonly solves: SqliteSolveBatch;

  constructor(options: SqliteStoreOptions) {
    this.file = path.join(options.dbDir, DB_FILE_NAME);
    const db = openDatabase(this.file, options);
    this.db = db;
    this.stmts = this.prepare(db);
    this.submissions = new SqliteSubmissions(db);
    this.solves = new SqliteSolveBatch(db, (input) => this.solveOnce(input));
  }

  private prepare(db: BetterSqlite3.Database) {
    return {
      insertUser: db.prepare('INSERT OR IGNORE INTO users (username) VALUES (?)'),
      allUsers: db.prepare('SELECT id, username, displayname, ban_reason, unranked, last_seen FROM users ORDER BY id'),
      allEvents: db.prepare('SELECT * FROM events ORDER BY id'),
      eventsAfter: db.prepare('SELECT * FROM events WHERE id > ? ORDER BY id'),
      setName: db.prepare('UPDATE users SET displayname = ?, displayname_key = ? WHERE id = ?'),
      insertSolve: db.prepare(
        "INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload, team) VALUES (?, ?, 'score', NULL, ?, ?, ?, ?) RETURNING *",
      ),
      insertHint: db.prepare(
        "INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload, team) VALUES (?, ?, 'hint', ?, ?, ?, 0, ?) RETURNING *",
      ),
      score: db.prepare('SELECT COALESCE(SUM(points), 0) AS score FROM events WHERE user_id = ? AND revoked = 0'),
      teamScore: db.prepare('SELECT COALESCE(SUM(points), 0) AS score FROM events WHERE team = ? AND revoked = 0'),
      teamHasHint: db.prepare("SELECT 1 FROM events WHERE team = ? AND challenge_id = ? AND kind = 'hint' AND hint_id = ?"),
      seen: db.prepare('UPDATE users SET last_seen = ? WHERE id = ?'),
      isBlocked: db.prepare('SELECT 1 FROM blocked_names WHERE key = ?'),
      block: db.prepare('INSERT OR IGNORE INTO blocked_names (key) VALUES (?)'),
      clearName: db.prepare('UPDATE users SET displayname = NULL, displayname_key = NULL WHERE id = ?'),
      setBan: db.prepare('UPDATE users SET ban_reason = ? WHERE id = ?'),
      setUnranked: db.prepare('UPDATE users SET unranked = ? WHERE id = ?'),
      userSessions: db.prepare('DELETE FROM sessions WHERE user_id = ? RETURNING id_hash'),
      insertAdjust: db.prepare(
        "INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload, reason, team) VALUES (?, 0, 'adjust', NULL, ?, ?, 0, ?, ?) RETURNING *",
      ),
      revokeSolve: db.prepare("UPDATE events SET revoked = 1 WHERE user_id = ? AND challenge_id = ? AND kind = 'score' AND revoked = 0"),
      insertRevoke: db.prepare(
        "INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload, reason) VALUES (?, ?, 'revoke', NULL, 0, ?, 0, ?) RETURNING *",
      ),
      hasHint: db.prepare("SELECT 1 FROM events WHERE user_id = ? AND challenge_id = ? AND kind = 'hint' AND hint_id = ?"),
      insertSession: db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      getSession: db.prepare('SELECT * FROM sessions WHERE id_hash = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
      deleteExpired: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
      deleteEvents: db.prepare('DELETE FROM events'),
      clearNames: db.prepare('UPDATE users SET displayname = NULL, displayname_key = NULL WHERE displayname IS NOT NULL'),
      deleteSessions: db.prepare('DELETE FROM sessions'),
      lastId: db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS id"),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      insertMeta: db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)'),
      deleteMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
      solvesOf: db.prepare("SELECT COUNT(*) AS n FROM events WHERE challenge_id = ? AND kind = 'score' AND revoked = 0"),
      insertAnnouncement: db.prepare('INSERT OR IGNORE INTO announcements (ts, text, dedupe_key) VALUES (?, ?, ?) RETURNING id, ts, text'),
      deleteAnnouncement: db.prepare('DELETE FROM announcements WHERE id = ?'),
      listAnnouncements: db.prepare('SELECT id, ts, text FROM announcements ORDER BY id DESC'),
      deleteAnnouncements: db.prepare('DELETE FROM announcements'),
      deleteSubmissions: db.prepare('DELETE FROM submissions'),
      deleteSubmissionMinutes: db.prepare('DELETE FROM submission_minutes'),
      insertAdminSession: db.prepare('INSERT INTO admin_sessions (id_hash, name, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      getAdminSession: db.prepare('SELECT id_hash AS idHash, name, created_at AS createdAt, expires_at AS expiresAt FROM admin_sessions WHERE id_hash = ?'),
      deleteAdminSession: db.prepare('DELETE FROM admin_sessions WHERE id_hash = ?'),
      deleteExpiredAdmin: db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?'),
      insertAudit: db.prepare('INSERT INTO audit (ts, admin, address, action, detail) VALUES (?, ?, ?, ?, ?)'),
      listAudit: db.prepare('SELECT id, ts, admin, address, action, detail FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?'),
    };
  }

  async syncUsers(usernames: readonly string[]): Promise<UserRecord[]> {
    this.db.transaction(() => {
      for (const name of usernames) this.stmts.insertUser.run(name);
    })();
    return (this.stmts.allUsers.all() as UserRow[]).map(toUser);
  }

  private resetMark(): ResetMark {
    const get = (key: string): number => Number((this.stmts.getMeta.get(key) as { value: string } | undefined)?.value ?? 0);
    return { count: get('reset_count'), afterId: get('reset_after_id') };
  }

  async load(): Promise<StoredGame> {
    return this.db.transaction(() => ({
      events: (this.stmts.allEvents.all() as EventRow[]).map(toEvent),
      lastId: (this.stmts.lastId.get() as { id: number }).id,
      reset: this.resetMark(),
    }))();
  }

  async eventsAfter(afterId: number): Promise<{ events: EventRecord[]; reset: ResetMark }> {
    return this.db.transaction(() => ({
      events: (this.stmts.eventsAfter.all(afterId) as EventRow[]).map(toEvent),
      reset: this.resetMark(),
    }))();
  }

  async sharedSecret(name: string): Promise<string> {
    const key = `secret:${name}`;
    this.stmts.insertMeta.run(key, randomBytes(32).toString('base64url'));
    return (this.stmts.getMeta.get(key) as { value: string }).value;
  }

  async rekeyDisplayNames(keyOf: (name: string) => string, ts: number): Promise<NameRekeyReport> {
    const db = this.db;
    const setKey = db.prepare('UPDATE users SET displayname_key = ? WHERE id = ?');
    const clearName = db.prepare('UPDATE users SET displayname = NULL, displayname_key = NULL WHERE id = ?');
    return db
      .transaction((): NameRekeyReport => {
        const users = db.prepare('SELECT id, username, displayname, displayname_key AS key FROM users WHERE displayname IS NOT NULL ORDER BY id').all() as NamedUser[];
        const plan = planNameRekey(users, keyOf);
        for (const c of plan.collisions) for (const u of c.cleared) clearName.run(u.id);
        // Free every moving key before writing the new ones: a chain of moves never trips the unique index.
        for (const r of plan.rekey) setKey.run(null, r.id);
        for (const r of plan.rekey) setKey.run(r.key, r.id);
        for (const a of collisionAudits(plan.collisions, ts)) this.stmts.insertAudit.run(a.ts, a.admin, a.address, a.action, a.detail);
        return { checked: users.length, rekeyed: plan.rekey.length, collisions: plan.collisions };
      })
      .immediate();
  }

  async setDisplayName(userId: number, name: string, key: string): Promise<'ok' | 'taken'> {
    if (this.stmts.isBlocked.get(key)) return 'taken';
    try {
      this.stmts.setName.run(name, key, userId);
      return 'ok';
    } catch (err) {
      if (isUniqueViolation(err)) return 'taken';
      throw err;
    }
  }

  recordSolve(input: SolveInput): Promise<SolveOutcome> {
    return this.solves.record(input);
  }

  private solveOnce(input: SolveInput): SolveOutcome {
    try {
      // One synchronous step: the rank counted here is the rank the insert gets.
      const rank = input.bonus?.length ? (this.stmts.solvesOf.get(input.challengeId) as { n: number }).n : 0;
      const points = input.points + (input.bonus?.[rank] ?? 0);
      const row = this.stmts.insertSolve.get(input.userId, input.challengeId, points, input.ts, input.reload ? 1 : 0, input.team ?? null) as EventRow;
      return { kind: 'recorded', event: toEvent(row) };
    } catch (err) {
      if (isUniqueViolation(err)) return { kind: 'already_solved' };
      throw err;
    }
  }

  private readonly hintTx = (input: HintInput): HintOutcome => {
    const { userId, challengeId, hintId, cost } = input;
    const team = input.team ?? null;
    // In team mode the team buys: its hints, its score.
    const has = (h: number): boolean => Boolean(team === null ? this.stmts.hasHint.get(userId, challengeId, h) : this.stmts.teamHasHint.get(team, challengeId, h));
    if (has(hintId)) return { kind: 'already_purchased' };
    if (input.previousHintId !== null && !has(input.previousHintId)) return { kind: 'locked' };
    if (cost > 0) {
      const { score } = (team === null ? this.stmts.score.get(userId) : this.stmts.teamScore.get(team)) as { score: number };
      if (score + (input.credit ?? 0) < cost) return { kind: 'insufficient_points' };
    }
    const row = this.stmts.insertHint.get(userId, challengeId, hintId, -cost, input.ts, team) as EventRow;
    return { kind: 'recorded', event: toEvent(row) };
  };

  async purchaseHint(input: HintInput): Promise<HintOutcome> {
    // IMMEDIATE: the score check and the insert happen under one write lock, so
    // two processes on one file cannot both spend the same points.
    return this.db.transaction(this.hintTx).immediate(input);
  }

  async createSession(s: SessionRecord): Promise<void> {
    this.stmts.insertSession.run(s.idHash, s.userId, s.createdAt, s.expiresAt);
    this.stmts.seen.run(s.createdAt, s.userId);
  }

  async getSession(idHash: string): Promise<SessionRecord | null> {
    const row = this.stmts.getSession.get(idHash) as SessionRow | undefined;
    return row ? { idHash: row.id_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at } : null;
  }

  async deleteSession(idHash: string): Promise<void> {
    this.stmts.deleteSession.run(idHash);
  }

  async deleteExpiredSessions(now: number): Promise<number> {
    return this.stmts.deleteExpired.run(now).changes;
  }

  async deleteSessionsExcept(usernames: readonly string[]): Promise<number> {
    return this.db
      .prepare('DELETE FROM sessions WHERE user_id NOT IN (SELECT id FROM users WHERE username IN (SELECT value FROM json_each(?)))')
      .run(JSON.stringify(usernames)).changes;
  }

  async trimSessions(userId: number, keep: number): Promise<string[]> {
    const rows = this.db
      .prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash NOT IN (SELECT id_hash FROM sessions WHERE user_id = ? ORDER BY created_at DESC, id_hash LIMIT ?) RETURNING id_hash')
      .all(userId, userId, keep) as Array<{ id_hash: string }>;
    return rows.map((r) => r.id_hash);
  }

  async reset(): Promise<ResetOutcome> {
    // Solves judged before the reset land before it.
    this.solves.flush();
    return this.db
      .transaction((): ResetOutcome => {
        const mark: ResetMark = { count: this.resetMark().count + 1, afterId: (this.stmts.lastId.get() as { id: number }).id };
        this.stmts.setMeta.run('reset_count', String(mark.count));
        this.stmts.setMeta.run('reset_after_id', String(mark.afterId));
        const counts = {
          events: this.stmts.deleteEvents.run().changes,
          names: this.stmts.clearNames.run().changes,
          sessions: this.stmts.deleteSessions.run().changes,
          announcements: this.stmts.deleteAnnouncements.run().changes,
          mark,
        };
        // The submissions log is part of the play that a reset forgets.
        this.stmts.deleteSubmissions.run();
        this.stmts.deleteSubmissionMinutes.run();
        this.stmts.deleteMeta.run('event_reveal');
        return counts;
      })
      .immediate();
  }

  async readSetting(key: string): Promise<string | null> {
    return (this.stmts.getMeta.get(key) as { value: string } | undefined)?.value ?? null;
  }

  async writeSetting(key: string, value: string | null): Promise<void> {
    if (value === null) this.stmts.deleteMeta.run(key);
    else this.stmts.setMeta.run(key, value);
  }

  async addAnnouncement(text: string, ts: number, key?: string): Promise<AnnouncementRecord | null> {
    return (this.stmts.insertAnnouncement.get(ts, text, key ?? null) as AnnouncementRecord | undefined) ?? null;
  }

  async deleteAnnouncement(id: number): Promise<boolean> {
    return this.stmts.deleteAnnouncement.run(id).changes > 0;
  }

  async listAnnouncements(): Promise<AnnouncementRecord[]> {
    return this.stmts.listAnnouncements.all() as AnnouncementRecord[];
  }

  async createAdminSession(s: AdminSessionRecord): Promise<void> {
    this.stmts.deleteExpiredAdmin.run(s.createdAt);
    this.stmts.insertAdminSession.run(s.idHash, s.name, s.createdAt, s.expiresAt);
  }

  async getAdminSession(idHash: string): Promise<AdminSessionRecord | null> {
    return (this.stmts.getAdminSession.get(idHash) as AdminSessionRecord | undefined) ?? null;
  }

  async deleteAdminSession(idHash: string): Promise<void> {
    this.stmts.deleteAdminSession.run(idHash);
  }

  async addAudit(e: AuditInput): Promise<void> {
    this.stmts.insertAudit.run(e.ts, e.admin, e.address, e.action, e.detail);
  }

  async listAudit(limit: number, beforeId: number | null): Promise<AuditRecord[]> {
    return this.stmts.listAudit.all(beforeId ?? Number.MAX_SAFE_INTEGER, limit) as AuditRecord[];
  }

  async setBan(userId: number, reason: string | null): Promise<string[]> {
    return this.db.transaction(() => {
      this.stmts.setBan.run(reason, userId);
      if (reason === null) return [];
      return (this.stmts.userSessions.all(userId) as Array<{ id_hash: string }>).map((r) => r.id_hash);
    })();
  }

  async setUnranked(userId: number, unranked: boolean): Promise<void> {
    this.stmts.setUnranked.run(unranked ? 1 : 0, userId);
  }

  async clearName(userId: number, key: string): Promise<void> {
    this.db.transaction(() => {
      this.stmts.block.run(key);
      this.stmts.clearName.run(userId);
    })();
  }

  async recordAdjust(input: AdjustInput): Promise<EventRecord> {
    return toEvent(this.stmts.insertAdjust.get(input.userId, input.points, input.ts, input.reason, input.team ?? null) as EventRow);
  }

  async revokeSolve(input: RevokeInput): Promise<EventRecord | null> {
    return this.db
      .transaction((): EventRecord | null => {
        if (this.stmts.revokeSolve.run(input.userId, input.challengeId).changes === 0) return null;
        return toEvent(this.stmts.insertRevoke.get(input.userId, input.challengeId, input.ts, input.reason) as EventRow);
      })
      .immediate();
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
    // A write transaction that changes nothing still needs the write lock and a writable file.
    this.db.transaction(() => this.db.prepare('PRAGMA user_version').get()).immediate();
    fs.accessSync(this.file, fs.constants.W_OK);
  }

  /**
   * A consistent copy of the database in `file`, made while the server runs
   * (SQLite's online backup, in small steps between which requests proceed).
   * The only way another process can read a file this store locks exclusively.
   */
  async copyTo(file: string): Promise<void> {
    await this.db.backup(file);
  }

  /** The open connection, for restoring a backup into this store (`ctfg import`); nothing else may use it meanwhile. */
  connectionForRestore(): BetterSqlite3.Database {
    this.solves.flush();
    return this.db;
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.solves.flush();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}
