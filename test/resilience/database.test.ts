/**
 * Database trouble: a missing folder, a read-only file or folder, and a
 * database locked by another process each stop start-up with a clear error
 * naming the problem and a non-zero exit, and nothing ever listens. A lock
 * that goes away within the busy timeout is waited out. During play the
 * server holds the database exclusively, so no other process can cause a
 * transient SQLITE_BUSY; readiness reports a database that stopped being
 * writable.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from '../../src/storage/sqlite/driver.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { FIXTURE_GAME, tempDir } from '../helpers/server.js';
import { Fleet, whenServing, type SpawnOptions } from './helpers/fleet.js';
import { freePort, isListening } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('database-trouble', figures);
  await fleet.finish('database');
});

/** The tests run as root, which ignores file modes: the server under test runs as `nobody` then. */
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
const user = (): Pick<SpawnOptions, 'uid' | 'gid'> => (AS_ROOT ? { uid: NOBODY, gid: NOBODY } : {});
function giveAway(p: string): void {
  if (AS_ROOT) fs.chownSync(p, NOBODY, NOBODY);
}

function dbFolder(): string {
  const dir = tempDir('ctfg-res-db-');
  giveAway(dir);
  return dir;
}

interface FailedStart {
  code: number | null;
  output: string;
  ms: number;
  everListened: boolean;
}

/** Starts ctfg on a fixed port expecting it to fail; watches the port the whole time. */
async function failedStart(options: Omit<SpawnOptions, 'port'>): Promise<FailedStart> {
  const port = await freePort();
  const t0 = Date.now();
  const child = fleet.spawn({ ...options, port });
  let everListened = false;
  let done = false;
  void child.exited.then(() => (done = true));
  const watchDeadline = Date.now() + 30_000;
  while (!done && Date.now() < watchDeadline) {
    if (await isListening(port)) everListened = true;
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!done) child.process.kill('SIGKILL');
  const code = await child.exited;
  if (await isListening(port)) everListened = true;
  return { code, output: child.output(), ms: Date.now() - t0, everListened };
}

function expectCleanFailure(r: FailedStart, message: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.output).toMatch(message);
  expect(r.output).not.toMatch(/is serving/);
  expect(r.output).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace outside developer mode
  expect(r.everListened).toBe(false);
}

/** Creates a real database in `dir` by running ctfg once. */
async function initialise(dir: string, as: Pick<SpawnOptions, 'uid' | 'gid'> = user()): Promise<void> {
  const s = fleet.spawn({ gameDir: FIXTURE_GAME, dbDir: dir, ...as });
  await whenServing(s);
  s.process.kill('SIGTERM');
  expect(await s.exited).toBe(0);
}

describe('database trouble at start', () => {
  it('refuses a database folder that does not exist', async () => {
    const missing = path.join(tempDir('ctfg-res-db-'), 'no', 'such', 'folder');
    const r = await failedStart({ gameDir: FIXTURE_GAME, dbDir: missing });
    expectCleanFailure(r, /does not exist/);
    expect(r.output).toContain(missing);
    figures.missingFolder = { exitCode: r.code, ms: r.ms, message: r.output.trim().split('\n').pop() };
  });

  it('refuses a read-only database file and a read-only database folder', async () => {
    const dir = dbFolder();
    await initialise(dir);
    const file = path.join(dir, 'events.db');
    fs.chmodSync(file, 0o444);
    const r = await failedStart({ gameDir: FIXTURE_GAME, dbDir: dir, ...user() });
    expectCleanFailure(r, /read-only/);
    expect(r.output).toContain(file);
    figures.readOnlyFile = { exitCode: r.code, ms: r.ms, message: r.output.trim().split('\n').pop() };

    const dir2 = dbFolder();
    await initialise(dir2);
    fs.chmodSync(dir2, 0o555);
    const r2 = await failedStart({ gameDir: FIXTURE_GAME, dbDir: dir2, ...user() });
    expectCleanFailure(r2, /folder .* is not writable/);
    figures.readOnlyFolder = { exitCode: r2.code, ms: r2.ms, message: r2.output.trim().split('\n').pop() };
  });

  it('refuses a database another process holds, whether a second ctfg or any SQLite client', async () => {
    const dir = tempDir('ctfg-res-db-');
    const first = await fleet.start({ dbDir: dir });
    const r = await failedStart({ gameDir: FIXTURE_GAME, dbDir: dir });
    expectCleanFailure(r, /locked by another process/);
    // The first server is unharmed.
    const c = new Client(first.url);
    expect((await c.login('player1', 'password1')).status).toBe(200);
    expect(await first.stop()).toBe(0);
    figures.secondServer = { exitCode: r.code, ms: r.ms, message: r.output.trim().split('\n').pop() };

    const holder = new Database(path.join(dir, 'events.db'));
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.prepare('BEGIN IMMEDIATE').run();
    try {
      const r2 = await failedStart({ gameDir: FIXTURE_GAME, dbDir: dir });
      expectCleanFailure(r2, /locked by another process/);
      // It waited out its busy timeout (5 s) before giving up.
      expect(r2.ms).toBeGreaterThanOrEqual(4500);
      figures.heldBySqliteClient = { exitCode: r2.code, ms: r2.ms, message: r2.output.trim().split('\n').pop() };
    } finally {
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
  });

  it('waits out a lock released within the busy timeout (a transient SQLITE_BUSY is retried)', async () => {
    const dir = tempDir('ctfg-res-db-');
    await initialise(dir, {});
    const holder = new Database(path.join(dir, 'events.db'));
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.prepare('BEGIN IMMEDIATE').run();
    const t0 = Date.now();
    const child = fleet.spawn({ gameDir: FIXTURE_GAME, dbDir: dir });
    await new Promise((r) => setTimeout(r, 2000));
    expect(child.process.exitCode).toBeNull();
    holder.prepare('ROLLBACK').run();
    holder.close();
    const port = await whenServing(child);
    const c = new Client(`http://127.0.0.1:${port}`);
    expect((await c.login('player1', 'password1')).status).toBe(200);
    figures.transientLockAtStart = { heldMs: 2000, servingAfterMs: Date.now() - t0 };
    child.process.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });
});

describe('database during play', () => {
  it('holds the database exclusively, so no other process can make a write wait; every write succeeds', async () => {
    // Design property: the store opens with locking_mode=EXCLUSIVE and takes the
    // lock at start (src/storage/sqlite/sqlite-store.ts). No other connection can
    // ever hold a lock on the file while the server runs, so the only source of
    // SQLITE_BUSY for the server's writes does not exist. Shown here: while a
    // solve storm runs, an outside process hammering the file always gets
    // SQLITE_BUSY itself, and every request the server answers is a success.
    const dir = tempDir('ctfg-res-db-');
    const server = await fleet.start({ dbDir: dir });
    const clients = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const c = new Client(server.url);
        await c.enter(`player${i + 1}`, `password${i + 1}`, `Busy ${i + 1}`);
        fleet.secret('password', `password${i + 1}`);
        return c;
      }),
    );
    let storm = true;
    const statuses: Record<string, number> = {};
    const flags: Array<[number, string]> = [[1, '26'], [2, '32'], [6, '75'], [3, '10'], [4, '2'], [5, '4'], [7, '150']];
    const load = clients.map(async (c) => {
      for (let i = 0; storm && i < 2000; i++) {
        const [id, flag] = flags[i % flags.length] as [number, string];
        const r = i % 3 === 0 ? await c.hint(1, 1 + (i % 2)) : await c.submit(id, flag);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      }
    });
    let attempts = 0;
    let busy = 0;
    const otherErrors: string[] = [];
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      attempts++;
      try {
        const outsider = new Database(path.join(dir, 'events.db'), { timeout: 50 });
        try {
          outsider.prepare('SELECT COUNT(*) FROM events').get();
          outsider.prepare('BEGIN IMMEDIATE').run();
          outsider.prepare('ROLLBACK').run();
        } finally {
          outsider.close();
        }
        otherErrors.push('outsider got the lock');
      } catch (err) {
        const code = (err as { code?: string }).code ?? String(err);
        if (code === 'SQLITE_BUSY') busy++;
        else otherErrors.push(code);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    storm = false;
    await Promise.all(load);
    const ready = await fetch(`${server.url}/readyz`);
    figures.exclusiveDuringPlay = { outsiderAttempts: attempts, outsiderBusy: busy, serverStatuses: statuses, readyz: ready.status };
    expect(otherErrors).toEqual([]);
    expect(busy).toBe(attempts);
    // Answers are successes or documented refusals (limits, locks); never a 5xx.
    expect(Object.keys(statuses).filter((s) => !['200', '400', '402', '403', '429'].includes(s))).toEqual([]);
    expect(ready.status).toBe(200);
  });

  it('reports not ready while the database file is not writable, and ready again after', async () => {
    const dir = dbFolder();
    const s = fleet.spawn({ gameDir: FIXTURE_GAME, dbDir: dir, ...user() });
    const port = await whenServing(s);
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const file = path.join(dir, 'events.db');
    fs.chmodSync(file, 0o444);
    const down = await fetch(`${base}/readyz`);
    const downBody = (await down.json()) as { checks?: Record<string, string> };
    fs.chmodSync(file, 0o644);
    const up = await fetch(`${base}/readyz`);
    const health = await fetch(`${base}/healthz`);
    figures.readinessWhenNotWritable = { readyzWhileReadOnly: down.status, checks: downBody.checks, readyzAfter: up.status, healthz: health.status };
    expect(down.status).toBe(503);
    expect(downBody.checks?.database).toBe('not writable');
    expect(up.status).toBe(200);
    expect(health.status).toBe(200);
    s.process.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});
