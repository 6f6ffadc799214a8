import fs from 'node:fs';
import readline from 'node:readline';
import type { Writable } from 'node:stream';
import type { PostgresConnection } from '../storage/postgres/connection.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { backupLines, importBackup, PROGRESS_EVERY, type ImportSummary } from './backup.js';
import { BackupError } from './format.js';
import { openPostgresSource, openPostgresTarget } from './postgres-backup.js';
import { openSqliteSource, SqliteTarget } from './sqlite-backup.js';

/** Where a game's store lives: SQLite in `dbDir`, or PostgreSQL when `database` is set. */
export interface StoreLocation {
  readonly dbDir: string;
  readonly database: PostgresConnection | null;
}

export type Progress = (message: string) => void;

const CHUNK = 64 * 1024;

async function write(out: Writable, text: string): Promise<void> {
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error): void => {
      out.off('drain', done);
      out.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    out.on('drain', done);
    out.on('error', done);
  });
}

/** Writes the whole store as backup lines to `out`, from one consistent snapshot. */
export async function exportStore(location: StoreLocation, out: Writable, progress: Progress): Promise<number> {
  const opened = location.database
    ? { ...(await openPostgresSource(location.database)), via: 'database' }
    : await openSqliteSource(location.dbDir);
  let lines = 0;
  let chunk = '';
  try {
    for await (const line of backupLines(opened.source)) {
      chunk += `${line}\n`;
      if (++lines % PROGRESS_EVERY === 0) progress(`exported ${lines} lines…`);
      if (chunk.length >= CHUNK) {
        await write(out, chunk);
        chunk = '';
      }
    }
    await write(out, chunk);
  } finally {
    await opened.close();
  }
  if (lines >= PROGRESS_EVERY) progress(`exported ${lines} lines`);
  return lines;
}

/** Opened when the import starts reading: lines read out before anyone listens would be lost. */
async function* fileLines(file: string): AsyncGenerator<string> {
  const input = file === '-' ? process.stdin : fs.createReadStream(file, { encoding: 'utf8' });
  yield* readline.createInterface({ input, crlfDelay: Infinity });
}

/** Loads a backup file ("-": stdin) into the store at `location`, all or nothing. */
export async function importStore(location: StoreLocation, file: string, force: boolean, progress: Progress): Promise<ImportSummary> {
  if (file !== '-' && !fs.existsSync(file)) throw new BackupError(`no file ${file}`);
  const lines = fileLines(file);
  const onProgress = (n: number): void => progress(`imported ${n} lines…`);
  if (location.database) {
    const { target, close } = await openPostgresTarget(location.database);
    try {
      return await importBackup(lines, target, { force, onProgress });
    } finally {
      await close();
    }
  }
  if (!fs.existsSync(location.dbDir)) throw new BackupError(`database folder ${location.dbDir} does not exist: create it first`);
  let store: SqliteStore;
  try {
    store = new SqliteStore({ dbDir: location.dbDir });
  } catch (err) {
    throw new BackupError(`cannot import: ${err instanceof Error ? err.message : String(err)} (stop the server first)`);
  }
  try {
    return await importBackup(lines, new SqliteTarget(store), { force, onProgress });
  } finally {
    await store.close();
  }
}
