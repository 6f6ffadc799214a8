import path from 'node:path';
import Database from '../../src/storage/sqlite/driver.js';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { DB_FILE_NAME, SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/server.js';

/** The moderation migration rebuilds the events table (SQLite cannot alter a CHECK); nothing may be lost. */
describe('SQLite moderation migration', () => {
  it('keeps events, indexes and the id sequence past a reset when upgrading an existing file', async () => {
    const dir = tempDir('ctfg-migrate-');
    const before = MIGRATIONS.findIndex((m) => m.includes('h/mod'));
    expect(before).toBeGreaterThan(0);
    const db = new Database(path.join(dir, DB_FILE_NAME));
    for (let v = 0; v < before; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${before}`);
    db.exec("INSERT INTO users (username) VALUES ('ann'), ('bob')");
    db.exec("INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload) VALUES (1, 1, 'score', NULL, 100, 1, 0), (1, 1, 'hint', 1, 0, 2, 0), (2, 1, 'score', NULL, 100, 3, 1)");
    // Ids 4 and 5 were used and deleted (an admin reset): the next id must be 6.
    db.exec("INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload) VALUES (2, 2, 'score', NULL, 1, 4, 0), (2, 3, 'score', NULL, 1, 5, 0)");
    db.exec('DELETE FROM events WHERE id > 3');
    db.close();

    const store = new SqliteStore({ dbDir: dir });
    try {
      const { events, lastId } = await store.load();
      expect(lastId).toBe(5);
      expect(events.map((e) => [e.id, e.kind, e.reload])).toEqual([[1, 'score', false], [2, 'hint', false], [3, 'score', true]]);
      expect(await store.recordSolve({ userId: 1, challengeId: 1, points: 100, ts: 6, reload: false })).toEqual({ kind: 'already_solved' });
      const next = await store.recordSolve({ userId: 1, challengeId: 2, points: 100, ts: 6, reload: false });
      expect(next).toMatchObject({ kind: 'recorded', event: { id: 6 } });
      expect((await store.syncUsers([]))[0]).toMatchObject({ username: 'ann', banReason: null, unranked: false, lastSeen: null });
    } finally {
      await store.close();
    }
  });
});
