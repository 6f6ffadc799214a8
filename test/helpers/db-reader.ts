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
