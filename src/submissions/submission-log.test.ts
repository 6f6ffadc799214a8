import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openInProcessGame, type InProcessGame } from '../../test/helpers/in-process.js';
import type { JudgedSubmit } from '../game/game-service.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { SubmissionInput, SubmissionRecord } from '../storage/store.js';
import { SubmissionLog, storedFlag } from './submission-log.js';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function openStore(): Promise<{ store: SqliteStore; userId: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctfg-sublog-'));
  dirs.push(dir);
  const store = new SqliteStore({ dbDir: dir });
  stores.push(store);
  const [user] = await store.syncUsers(['alice']);
  return { store, userId: (user as { id: number }).id };
}

const row = (userId: number, i: number, flag = `flag{${i}}`): SubmissionInput => ({
  ts: 1000 + i,
  userId,
  username: 'alice',
  displayname: 'Alice',
  challengeId: 1 + (i % 3),
  result: i % 2 === 0 ? 'correct' : 'incorrect',
  flag,
  address: '127.0.0.1',
});

describe('SubmissionLog (real SQLite)', () => {
  it('answers at once and writes queued rows in a few batched transactions, in order, with ids', async () => {
    const { store, userId } = await openStore();
    const batches: SubmissionRecord[][] = [];
    const log = new SubmissionLog({ store, onWritten: (rows) => batches.push(rows), onError: (err) => { throw err; } }, { flushMs: 5, maxBatch: 100 });
    for (let i = 0; i < 250; i++) log.record(row(userId, i));
    // Nothing is written on the caller's turn: the request path never waits for the log.
    expect(batches).toHaveLength(0);
    expect(log.pending).toBe(250);
    await log.flush();
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    const written = batches.flat();
    expect(written.map((r) => r.ts)).toEqual(Array.from({ length: 250 }, (_, i) => 1000 + i));
    const ids = written.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const listed = await store.listSubmissions({ limit: 500 });
    expect(listed).toHaveLength(250);
    expect(listed[0]).toEqual(written[249]);
  });

  it('writes by itself within its flush interval', async () => {
    const { store, userId } = await openStore();
    let written = 0;
    const log = new SubmissionLog({ store, onWritten: (rows) => (written += rows.length), onError: () => undefined }, { flushMs: 5 });
    log.record(row(userId, 1));
    await new Promise((r) => setTimeout(r, 100));
    expect(written).toBe(1);
  });

  it('keeps at most 256 code points of the flag and no NUL', () => {
    expect(storedFlag('x'.repeat(300))).toBe('x'.repeat(256));
    expect(storedFlag('😀'.repeat(300))).toBe('😀'.repeat(256));
    expect(storedFlag('a\0b')).toBe('a\u2400b');
    expect(storedFlag('flag{ok}')).toBe('flag{ok}');
  });

  it('retries a failed batch, then gives it up; a full queue drops new rows and says how many', async () => {
    const { store, userId } = await openStore();
    await store.close(); // every write now fails for real
    const errors: Array<[number, boolean]> = [];
    const dropped: number[] = [];
    const log = new SubmissionLog(
      { store, onWritten: () => undefined, onError: (_err, rows, givenUp) => errors.push([rows, givenUp]), onDropped: (n) => dropped.push(n) },
      { maxQueue: 3, maxTries: 2, retryMs: 1 },
    );
    for (let i = 0; i < 5; i++) log.record(row(userId, i));
    expect(log.pending).toBe(3);
    await log.flush();
    expect(errors).toEqual([
      [3, false],
      [3, true],
    ]);
    expect(dropped).toEqual([2]);
    expect(log.pending).toBe(0);
  });
});

describe('the judge reports what it compared', () => {
  let game: InProcessGame;
  afterEach(async () => game.close());

  it('reports correct and incorrect flags, not refused or unjudged submits', async () => {
    const judged: JudgedSubmit[] = [];
    game = await openInProcessGame({ limits: { submit: { burst: 1, refillSeconds: 60 } }, onJudged: (j) => judged.push(j) });
    const alice = game.player('alice');
    await game.service.submit(alice, 1, 'flag{wrong}', '10.0.0.1');
    await game.service.submit(alice, 1, 'flag{1}', '10.0.0.1'); // bucket empty: 429, not judged
    expect(await game.service.submit(alice, 99, 'x')).toEqual({ kind: 'unknown_id' });
    expect(await game.service.submit(alice, 2, 'flag{2}')).toEqual({ kind: 'locked' });
    game.clock.now += 60_000;
    await game.service.submit(alice, 1, 'flag{1}', '10.0.0.2');
    // already solved: answered from the player's state, the flag is never compared
    expect(await game.service.submit(alice, 1, 'flag{1}')).toMatchObject({ kind: 'already_solved' });
    expect(judged.map((j) => [j.challengeId, j.flag, j.correct, j.address])).toEqual([
      [1, 'flag{wrong}', false, '10.0.0.1'],
      [1, 'flag{1}', true, '10.0.0.2'],
    ]);
  });
});
