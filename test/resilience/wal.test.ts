/**
 * WAL growth: 100,000 writes through the real store on a real file keep the
 * write-ahead log bounded (auto-checkpoint every 1,000 pages, journal size
 * limit 64 MiB), and closing checkpoints it away.
 *
 * The writes go through src/storage/sqlite/sqlite-store.ts in-process: the
 * same store, pragmas and statements the server uses, without 100,000 HTTP
 * round trips.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from '../../src/storage/sqlite/driver.js';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/server.js';
import { recordResult } from './helpers/results.js';

const WRITES = 100_000;
/** The documented bound: journal_size_limit (README, "Durability"). */
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;
const AUTOCHECKPOINT_PAGES = 1000;

describe('WAL growth', () => {
  it('stays bounded across 100,000 writes and is checkpointed away at close', async () => {
    const dir = tempDir('ctfg-res-wal-');
    const file = path.join(dir, 'events.db');
    const wal = `${file}-wal`;
    const walSize = (): number => (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
    const store = new SqliteStore({ dbDir: dir });
    const users = await store.syncUsers(Array.from({ length: 1000 }, (_, i) => `wal-player-${i + 1}`));
    const t0 = Date.now();
    let writes = 0;
    let maxWal = 0;
    const sizes: number[] = [];
    const sample = (): void => {
      const size = walSize();
      maxWal = Math.max(maxWal, size);
      if (writes % 10_000 === 0) sizes.push(size);
    };
    // A realistic mix: solves, hint purchases (a transaction each), sessions made and dropped, renames.
    for (let round = 0; writes < WRITES; round++) {
      for (const u of users) {
        if (writes >= WRITES) break;
        const kind = writes % 10;
        if (kind < 6) {
          await store.recordSolve({ userId: u.id, challengeId: 1000 + round, points: 100, ts: Date.now(), reload: false });
        } else if (kind < 8) {
          await store.purchaseHint({ userId: u.id, challengeId: 1000 + round, hintId: 1, cost: 0, ts: Date.now(), previousHintId: null });
        } else if (kind === 8) {
          const idHash = `${u.id}-${round}-${writes}`;
          await store.createSession({ idHash, userId: u.id, createdAt: Date.now(), expiresAt: Date.now() + 1000 });
        } else {
          await store.setDisplayName(u.id, `Player ${u.id} r${round}`, `player ${u.id} r${round}`);
        }
        writes++;
        if (writes % 100 === 0) sample();
      }
    }
    const writeMs = Date.now() - t0;
    const walBeforeClose = walSize();
    const pageSize = (new Database(':memory:').pragma('page_size', { simple: true }) as number) || 4096;
    await store.close();
    const walAfterClose = fs.existsSync(wal) ? fs.statSync(wal).size : null;
    const db = new Database(file, { readonly: true });
    const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    const sessions = (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
    db.close();

    const figures = {
      writes,
      writeMs,
      writesPerSecond: Math.round(writes / (writeMs / 1000)),
      eventsInDb: events,
      sessionsInDb: sessions,
      maxWalBytes: maxWal,
      walBytesEvery10k: sizes,
      walBytesBeforeClose: walBeforeClose,
      walBytesAfterClose: walAfterClose,
      dbBytes: fs.statSync(file).size,
      documentedBoundBytes: JOURNAL_SIZE_LIMIT,
      autocheckpointBytes: AUTOCHECKPOINT_PAGES * pageSize,
    };
    recordResult('wal-growth', figures);
    expect(events + sessions).toBeGreaterThan(0.85 * WRITES);
    expect(maxWal).toBeLessThanOrEqual(JOURNAL_SIZE_LIMIT);
    // In practice the auto-checkpoint keeps it at about 1,000 pages (plus the frames of one transaction).
    expect(maxWal).toBeLessThan(2 * AUTOCHECKPOINT_PAGES * (pageSize + 24));
    expect(walAfterClose === null || walAfterClose === 0).toBe(true);
  });

  // A solve storm writes nothing but solves. SQLite checkpoints only after a
  // statement that runs to its end, which INSERT … RETURNING read with get()
  // never does: before solves were group-committed, 10,000 of them left a WAL
  // of about 200 MB that no checkpoint ever shrank.
  it('stays bounded when nothing but solves are written', async () => {
    const dir = tempDir('ctfg-res-wal-solves-');
    const wal = path.join(dir, 'events.db-wal');
    const store = new SqliteStore({ dbDir: dir });
    const users = await store.syncUsers(Array.from({ length: 1000 }, (_, i) => `storm-player-${i + 1}`));
    const pageSize = (new Database(':memory:').pragma('page_size', { simple: true }) as number) || 4096;
    let maxWal = 0;
    let recorded = 0;
    for (let challengeId = 1; challengeId <= 10; challengeId++) {
      // Fifty in flight at a time, like requests arriving together.
      for (let i = 0; i < users.length; i += 50) {
        const outcomes = await Promise.all(users.slice(i, i + 50).map((u) => store.recordSolve({ userId: u.id, challengeId, points: 100, ts: Date.now(), reload: false })));
        recorded += outcomes.filter((o) => o.kind === 'recorded').length;
        maxWal = Math.max(maxWal, fs.existsSync(wal) ? fs.statSync(wal).size : 0);
      }
    }
    await store.close();
    recordResult('wal-growth-solves-only', { solves: recorded, maxWalBytes: maxWal, autocheckpointBytes: AUTOCHECKPOINT_PAGES * pageSize });
    expect(recorded).toBe(10_000);
    expect(maxWal).toBeLessThan(2 * AUTOCHECKPOINT_PAGES * (pageSize + 24));
  });
});
