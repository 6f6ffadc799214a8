import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import Database from './driver.js';
import { migrate } from './migrations.js';

export interface SqliteStoreOptions {
  /** folder that holds events.db */
  readonly dbDir: string;
  /** 'normal' survives a process crash (kill -9); 'full' also survives power loss, at the cost of an fsync per write */
  readonly synchronous?: 'normal' | 'full';
  /** pages of WAL after which SQLite checkpoints automatically */
  readonly walAutoCheckpoint?: number;
}

/** Explains the usual start-up failures in words an organizer can act on. */
function describeOpenError(file: string, err: unknown): Error {
  const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '';
  const reason = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_BUSY' || /locked/i.test(reason)) {
    return new Error(`database ${file} is locked by another process (is another ctfg running on it?)`);
  }
  if (code === 'SQLITE_READONLY' || /readonly/i.test(reason)) {
    return new Error(`database ${file} is read-only: give ctfg write access to the file and its folder`);
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new Error(`cannot open database ${file}: check that the folder exists and is writable`);
  }
  return new Error(`cannot open database ${file}: ${reason}`);
}

/** Opens (and migrates) events.db for one server: exclusive, WAL; every usual failure named in words. */
export function openDatabase(file: string, options: SqliteStoreOptions): BetterSqlite3.Database {
  if (!fs.existsSync(options.dbDir)) {
    throw new Error(`database folder ${options.dbDir} does not exist: create it or pass another --dbdir`);
  }
  // SQLite quietly opens a file it may not write read-only and then fails with
  // a vague "disk I/O error"; name the actual problem instead.
  for (const [target, what] of [
    [file, `database ${file} is read-only`],
    [options.dbDir, `database folder ${options.dbDir} is not writable (SQLite keeps its -wal file beside the database)`],
  ] as const) {
    if (!fs.existsSync(target)) continue;
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch {
      throw new Error(`${what}: give ctfg write access to the file and its folder`);
    }
  }
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new Database(file, { timeout: 5000 });
    // One server owns the file: a second ctfg on the same database would
    // keep a diverging in-memory state, so it must fail to start instead.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma(`wal_autocheckpoint = ${options.walAutoCheckpoint ?? 1000}`);
    // Bounds the WAL file on disk after checkpoints (bytes).
    db.pragma('journal_size_limit = 67108864');
    db.pragma('foreign_keys = ON');
    // Take the lock now (held until close): a database held by another
    // process fails here with a clear message instead of half-starting a server.
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare('COMMIT').run();
    migrate(db);
  } catch (err) {
    db?.close();
    throw describeOpenError(file, err);
  }
  return db;
}
