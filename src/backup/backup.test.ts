import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { backupLines, importBackup, PROGRESS_EVERY } from './backup.js';
import { serveLiveCopies } from './live-copy.js';
import { openSqliteSource, SqliteTarget } from './sqlite-backup.js';
import { BACKUP_TABLES } from './tables.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ctfg-backup-'));
  dirs.push(d);
  return d;
}

/** A store with a bit of everything: names with commas and quotes, solves, hints, a reset, settings, sessions, audit. */
async function playedGame(): Promise<{ dir: string; lastId: number }> {
  const dir = tempDir();
  const store = new SqliteStore({ dbDir: dir });
  const users = await store.syncUsers(['alice', 'bob', 'carol', 'dave']);
  const [a, b, c, d] = users.map((u) => u.id) as [number, number, number, number];
  await store.recordSolve({ userId: d, challengeId: 1, points: 100, ts: 1000, reload: false });
  await store.reset();
  await store.setDisplayName(a, 'Al, "the" Great', 'al, "the" great');
  await store.setDisplayName(b, 'Bøb ✓', 'bøb ✓');
  await store.recordSolve({ userId: a, challengeId: 1, points: 100, ts: 2000, reload: false, bonus: [30, 20, 10] });
  await store.recordSolve({ userId: b, challengeId: 1, points: 100, ts: 3000, reload: true });
  await store.purchaseHint({ userId: a, challengeId: 2, hintId: 1, cost: 10, ts: 4000, previousHintId: null });
  await store.createSession({ idHash: 'h1', userId: c, createdAt: 5000, expiresAt: 9_000_000_000_000 });
  await store.createAdminSession({ idHash: 'ah1', name: 'Org', createdAt: 5000, expiresAt: 9_000_000_000_000 });
  await store.addAnnouncement('Hello,\nworld', 6000);
  const gone = await store.addAnnouncement('deleted', 6500);
  await store.deleteAnnouncement(gone!.id);
  await store.addAnnouncement('Release 2', 7000, 'release:2');
  await store.addAudit({ ts: 8000, admin: 'Org', address: '127.0.0.1', action: 'announce', detail: '{"id":1}' });
  await store.writeSetting('event_schedule', '{"start":1}');
  await store.sharedSecret('scorestream');
  // moderation (h/mod)
  await store.setBan(c, 'flag sharing');
  await store.setUnranked(d, true);
  await store.clearName(b, 'bøb ✓');
  await store.recordAdjust({ userId: a, points: -5, reason: 'abuse', ts: 8100 });
  await store.revokeSolve({ userId: a, challengeId: 1, reason: 'shared', ts: 8200 });
  const { lastId } = await store.load();
  await store.close();
  return { dir, lastId };
}

/** The end line for these row counts (every other table empty). */
function endLine(rows: Record<string, number>): string {
  return JSON.stringify({ end: { rows: Object.fromEntries(BACKUP_TABLES.map((t) => [t.name, rows[t.name] ?? 0])) } });
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of lines) out.push(l);
  return out;
}

async function exportOf(dir: string): Promise<string[]> {
  const opened = await openSqliteSource(dir);
  try {
    return await collect(backupLines(opened.source));
  } finally {
    opened.close();
  }
}

async function* fromArray(lines: readonly string[]): AsyncGenerator<string> {
  yield* lines;
}

async function importInto(dir: string, lines: readonly string[], force = false, onProgress?: (n: number) => void) {
  const store = new SqliteStore({ dbDir: dir });
  try {
    return await importBackup(fromArray(lines), new SqliteTarget(store), { force, onProgress });
  } finally {
    await store.close();
  }
}

describe('export and import (SQLite)', () => {
  it('exports every table deterministically, without secrets, and imports losslessly', async () => {
    const { dir } = await playedGame();
    const first = await exportOf(dir);
    expect(await exportOf(dir)).toEqual(first);
    expect(first[0]).toBe('{"format":"ctfg-backup","version":1}');
    expect(first.at(-1)).toBe(endLine({ users: 4, events: 5, sessions: 0, blocked_names: 1, meta: 3, announcements: 2, admin_sessions: 1, audit: 1 }));
    expect(first.join('\n')).not.toContain('secret:');
    expect(first).toContain('{"table":"meta","row":{"key":"reset_count","value":"1"}}');
    expect(first).toContain('{"sequence":"events","value":6}');
    expect(first).toContain('{"sequence":"announcements","value":3}');
    expect(first.some((l) => l.includes('"displayname":"Al, \\"the\\" Great"'))).toBe(true);

    const target = tempDir();
    const summary = await importInto(target, first);
    expect(summary.rows.events).toBe(5);
    expect(await exportOf(target)).toEqual(first);
  });

  it('continues ids after the imported ones, the reset mark and deleted rows included', async () => {
    const { dir, lastId } = await playedGame();
    const target = tempDir();
    await importInto(target, await exportOf(dir));
    // The original, given the same new player, hands out the same id.
    const original = new SqliteStore({ dbDir: dir });
    const erin = (await original.syncUsers(['alice', 'erin'])).at(-1)?.id;
    await original.close();
    const store = new SqliteStore({ dbDir: target });
    try {
      const loaded = await store.load();
      expect(loaded.lastId).toBe(lastId);
      expect(loaded.reset).toEqual({ count: 1, afterId: 1 });
      const users = await store.syncUsers(['alice', 'erin']);
      expect(users.map((u) => u.username)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
      expect(users.at(-1)?.id).toBe(erin);
      expect(erin).toBeGreaterThan(4);
      const solve = await store.recordSolve({ userId: 3, challengeId: 1, points: 100, ts: 9000, reload: false });
      expect(solve.kind === 'recorded' && solve.event.id).toBe(lastId + 1);
      expect((await store.load()).events.find((e) => e.kind === 'adjust')).toMatchObject({ points: -5, reason: 'abuse' });
      expect((await store.addAnnouncement('next', 9000))?.id).toBe(4);
      expect(await store.getSession('h1')).toBeNull();
      const again = await store.recordSolve({ userId: 1, challengeId: 1, points: 100, ts: 9100, reload: false });
      expect(again.kind).toBe('recorded');
      expect(await store.readSetting('event_schedule')).toBe('{"start":1}');
    } finally {
      await store.close();
    }
  });

  it('refuses a store that holds a game unless forced, then replaces everything', async () => {
    const { dir } = await playedGame();
    const lines = await exportOf(dir);
    const target = tempDir();
    const other = new SqliteStore({ dbDir: target });
    await other.syncUsers(['zed']);
    await other.addAudit({ ts: 1, admin: 'x', address: 'y', action: 'z', detail: '' });
    await other.close();
    await expect(importInto(target, lines)).rejects.toThrow(/already holds a game \(users, audit\).*--force/);
    expect((await exportOf(target)).join('\n')).toContain('"zed"');
    await importInto(target, lines, true);
    expect(await exportOf(target)).toEqual(lines);
  });

  it('refuses truncated, damaged and foreign files with the line, and imports nothing', async () => {
    const { dir } = await playedGame();
    const lines = await exportOf(dir);
    const target = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [lines.slice(0, -1), new RegExp(`ends after line ${lines.length - 1} without its end line: it is truncated`)],
      [[...lines.slice(0, 5), (lines[5] as string).slice(0, 20)], /^line 6: not valid JSON/],
      [['username,password', 'a,b'], /^line 1: not a ctfg backup/],
      [[], /empty/],
      [['{"format":"ctfg-backup","version":9}'], /version 9 is newer/],
      [[lines[0]!, '{"table":"users","row":{"id":"1","username":"x","displayname":null,"displayname_key":null}}'], /^line 2: bad users row \(id: /],
      [[lines[0]!, '{"table":"users","row":{"id":1,"username":"x","displayname":null}}'], /^line 2: bad users row \(displayname_key: /],
      [[lines[0]!, '{"table":"teams","row":{}}'], /^line 2: unknown table "teams"/],
      [[lines[0]!, lines[5]!, lines[1]!], /^line 3: users rows after events rows/],
      [[lines[0]!, lines[1]!, lines[1]!, ...lines.slice(2)], /^line 3: cannot restore this users row: UNIQUE/],
      [[...lines.slice(0, -1), lines.at(-1)!.replace('"users":4', '"users":5')], /the end line counts 5 users rows, the file has 4/],
      [[...lines, lines[1]!], /text after the end line/],
    ];
    for (const [file, message] of cases) {
      await expect(importInto(target, file), message.source).rejects.toThrow(message);
      const after = await exportOf(target);
      expect(after.at(-1)).toBe(endLine({}));
    }
  });

  it('reports progress on large games only', async () => {
    const dir = tempDir();
    const store = new SqliteStore({ dbDir: dir });
    await store.syncUsers(Array.from({ length: PROGRESS_EVERY + 10 }, (_, i) => `p${i}`));
    await store.close();
    const reports: number[] = [];
    await importInto(tempDir(), await exportOf(dir), false, (n) => reports.push(n));
    expect(reports).toEqual([PROGRESS_EVERY]);
    const small: number[] = [];
    await importInto(tempDir(), await exportOf((await playedGame()).dir), false, (n) => small.push(n));
    expect(small).toEqual([]);
  }, 60_000);

  it('exports a database the running store holds exclusively, through a copy the store makes', async () => {
    const { dir } = await playedGame();
    const expected = await exportOf(dir);
    const store = new SqliteStore({ dbDir: dir });
    const stop = await serveLiveCopies(store, pino({ level: 'silent' }));
    try {
      const opened = await openSqliteSource(dir);
      expect(opened.via).toBe('running server');
      const lines = await collect(backupLines(opened.source));
      opened.close();
      expect(lines).toEqual(expected);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('.ctfg-export-'))).toEqual([]);
    } finally {
      await stop();
      await store.close();
    }
    const held = new SqliteStore({ dbDir: dir });
    try {
      await expect(openSqliteSource(dir)).rejects.toThrow(/locked by another process and no ctfg server answers/);
    } finally {
      await held.close();
    }
  });
});
