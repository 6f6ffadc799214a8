import path from 'node:path';
import Database from '../../src/storage/sqlite/driver.js';
import pg from 'pg';
import { BACKEND, databaseFor } from './backend.js';

export interface StoredEvent {
  readonly id: number;
  readonly user_id: number;
  readonly username: string;
  readonly displayname: string | null;
  readonly challenge_id: number;
  readonly kind: 'score' | 'hint';
  readonly hint_id: number | null;
  readonly points: number;
  readonly ts: number;
}

const QUERY = 'SELECT e.id, e.user_id, u.username, u.displayname, e.challenge_id, e.kind, e.hint_id, e.points, e.ts FROM events e JOIN users u ON u.id = e.user_id ORDER BY e.id';

/**
 * Every event of a game straight from its database, for checks that must not
 * trust the server. SQLite: only while no server holds the file (it is locked
 * exclusively).
 */
export async function readEvents(dbDir: string): Promise<StoredEvent[]> {
  return readEventsFrom(BACKEND, dbDir);
}

export async function readEventsFrom(backend: 'sqlite' | 'postgres', dbDir: string): Promise<StoredEvent[]> {
  if (backend === 'sqlite') {
    const db = new Database(path.join(dbDir, 'events.db'));
    try {
      return db.prepare(QUERY).all() as StoredEvent[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: await databaseFor(dbDir) });
  await client.connect();
  try {
    const rows = (await client.query(QUERY)).rows as Array<Record<string, unknown>>;
    return rows.map((r) => ({ ...r, id: Number(r.id), ts: Number(r.ts) }) as StoredEvent);
  } finally {
    await client.end();
  }
}

export interface StoredSubmission {
  readonly id: number;
  readonly username: string;
  readonly challenge_id: number;
  readonly result: 'correct' | 'incorrect';
  readonly flag: string;
}

const SUBMISSIONS = 'SELECT s.id, u.username, s.challenge_id, s.result, s.flag FROM submissions s JOIN users u ON u.id = s.user_id ORDER BY s.id';

/** Every row of the submissions log straight from the database (SQLite: only while no server holds it). */
export async function readSubmissions(dbDir: string): Promise<StoredSubmission[]> {
  if (BACKEND === 'sqlite') {
    const db = new Database(path.join(dbDir, 'events.db'));
    try {
      return db.prepare(SUBMISSIONS).all() as StoredSubmission[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: await databaseFor(dbDir) });
  await client.connect();
  try {
    return (await client.query(SUBMISSIONS)).rows.map((r: Record<string, unknown>) => ({ ...r, id: Number(r.id) }) as StoredSubmission);
  } finally {
    await client.end();
  }
}
