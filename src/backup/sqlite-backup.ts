import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../storage/sqlite/migrations.js';
import { DB_FILE_NAME, SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { BackupSource, BackupTarget } from './backup.js';
import { BackupError, type Row } from './format.js';
import { removeCopy, requestLiveCopy } from './live-copy.js';
import { BACKUP_TABLES, columnNames, type TableSpec } from './tables.js';

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function selectAll(t: TableSpec): string {
  return `SELECT ${columnNames(t).map(quote).join(', ')} FROM ${quote(t.name)} ORDER BY ${t.key.map(quote).join(', ')}`;
}

function isBusy(err: unknown): boolean {
  const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** Reads a SQLite database inside one read transaction. */
class SqliteSource implements BackupSource {
  constructor(private readonly db: Database.Database) {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== MIGRATIONS.length) {
      throw new BackupError(
        `database schema version ${version}, this ctfg exports version ${MIGRATIONS.length}: export with the ctfg that runs this game (or start this one once to upgrade it)`,
      );
    }
  }

  async *rows(t: TableSpec): AsyncIterable<Record<string, unknown>> {
    for (const row of this.db.prepare(selectAll(t)).iterate()) yield row as Record<string, unknown>;
  }

  async sequence(t: TableSpec): Promise<number> {
    const row = this.db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(t.name) as { seq: number } | undefined;
    return row?.seq ?? 0;
  }
}

export interface OpenedSource {
  readonly source: BackupSource;
  /** how the snapshot was taken, for the organizer */
  readonly via: 'file' | 'running server';
  close(): void;
}

function openSnapshot(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true, timeout: 250 });
  try {
    db.pragma('query_only = ON');
    // The snapshot starts at the first read of the transaction and holds for every later one.
    db.prepare('BEGIN').run();
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * A consistent snapshot of the SQLite game in `dbDir`: read directly when no
 * server holds the file, else from a copy the running server makes.
 */
export async function openSqliteSource(dbDir: string): Promise<OpenedSource> {
  const file = path.join(dbDir, DB_FILE_NAME);
  if (!fs.existsSync(file)) throw new BackupError(`no database at ${file}: pass the --dbdir (or --game-dir) of the game`);
  let db: Database.Database;
  try {
    db = openSnapshot(file);
  } catch (err) {
    if (!isBusy(err)) throw new BackupError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    const copy = await requestLiveCopy(file);
    try {
      const copyDb = openSnapshot(copy);
      return { source: new SqliteSource(copyDb), via: 'running server', close: () => (copyDb.close(), removeCopy(copy)) };
    } catch (copyErr) {
      removeCopy(copy);
      throw copyErr;
    }
  }
  try {
    return { source: new SqliteSource(db), via: 'file', close: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Restores into the store's own connection, which holds the file exclusively. */
export class SqliteTarget implements BackupTarget {
  private readonly db: Database.Database;

  constructor(store: SqliteStore) {
    this.db = store.connectionForRestore();
  }

  async begin(): Promise<void> {
    this.db.prepare('BEGIN IMMEDIATE').run();
  }

  async nonEmptyTables(): Promise<string[]> {
    return BACKUP_TABLES.filter((t) => {
      if (!t.keep) return this.db.prepare(`SELECT 1 FROM ${quote(t.name)} LIMIT 1`).get() !== undefined;
      return (this.db.prepare(selectAll(t)).all() as Array<Record<string, unknown>>).some(t.keep);
    }).map((t) => t.name);
  }

  async clear(): Promise<void> {
    for (const t of [...BACKUP_TABLES].reverse()) this.db.prepare(`DELETE FROM ${quote(t.name)}`).run();
    this.db.prepare('DELETE FROM sqlite_sequence').run();
  }

  async insert(t: TableSpec, rows: readonly Row[], firstLine: number): Promise<void> {
    const names = columnNames(t);
    const stmt = this.db.prepare(`INSERT INTO ${quote(t.name)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
    rows.forEach((row, i) => {
      try {
        stmt.run(names.map((n) => (typeof row[n] === 'boolean' ? (row[n] ? 1 : 0) : row[n])));
      } catch (err) {
        throw new BackupError(`line ${firstLine + i}: cannot restore this ${t.name} row: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  async setSequence(t: TableSpec, value: number): Promise<void> {
    const column = quote(t.sequence?.column ?? 'id');
    const max = (this.db.prepare(`SELECT COALESCE(MAX(${column}), 0) AS n FROM ${quote(t.name)}`).get() as { n: number }).n;
    this.db.prepare('DELETE FROM sqlite_sequence WHERE name = ?').run(t.name);
    const seq = Math.max(value, max);
    if (seq > 0) this.db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(t.name, seq);
  }

  async commit(): Promise<void> {
    this.db.prepare('COMMIT').run();
  }

  async rollback(): Promise<void> {
    if (this.db.inTransaction) this.db.prepare('ROLLBACK').run();
  }
}
