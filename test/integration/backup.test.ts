import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKEND } from '../helpers/backend.js';
import { admin, adminBoard, exportLines, FLAGS, importLines, play } from '../helpers/backup.js';
import { Client } from '../helpers/client.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => (s.process.exitCode === null ? s.stop() : null)));
});

async function serve(dbDir?: string): Promise<TestServer> {
  const s = await startServer({ dbDir });
  servers.push(s);
  return s;
}

type Parsed = { table?: string; row?: Record<string, unknown>; sequence?: string; value?: number; end?: { rows: Record<string, number> } };

/** A snapshot is consistent: counts match, every reference resolves, sequences cover every id. */
function expectConsistent(lines: readonly string[]): void {
  const parsed = lines.map((l) => JSON.parse(l) as Parsed);
  expect(parsed[0]).toEqual({ format: 'ctfg-backup', version: 1 });
  const rows = (t: string) => parsed.filter((p) => p.table === t).map((p) => p.row as Record<string, number>);
  const end = parsed.at(-1)?.end;
  for (const [t, n] of Object.entries(end?.rows ?? {})) expect(rows(t).length, t).toBe(n);
  const users = new Set(rows('users').map((u) => u.id as number));
  for (const e of [...rows('events'), ...rows('sessions')]) expect(users.has(e.user_id as number)).toBe(true);
  const seq = (t: string) => parsed.find((p) => p.sequence === t)?.value ?? -1;
  expect(seq('events')).toBeGreaterThanOrEqual(Math.max(0, ...rows('events').map((e) => e.id as number)));
  expect(seq('users')).toBeGreaterThanOrEqual(Math.max(0, ...users));
}

describe(`backups on ${BACKEND}`, () => {
  it('exports a consistent snapshot while the server runs and writes, and restores it into a store that serves the same game', async () => {
    const source = await serve();
    const clients = await play(source.url);
    let writing = true;
    const writers = Array.from({ length: 6 }, async (_, i) => {
      const c = new Client(source.url);
      await c.enter(`player${20 + i}`, `password${20 + i}`, `Writer ${i}`);
      for (let n = 0; writing; n++) await (n % 4 === 3 ? c.hint(2, 1 + (n % 2)) : c.submit(...(FLAGS[n % FLAGS.length] as [number, string])));
    });
    await new Promise((r) => setTimeout(r, 300));
    const during = await Promise.all([exportLines(source.dbDir), exportLines(source.dbDir)]);
    writing = false;
    await Promise.all(writers);
    for (const lines of during) expectConsistent(lines);
    expect(during[0]!.filter((l) => l.startsWith('{"table":"events"')).length).toBeGreaterThan(15);

    const running = await exportLines(source.dbDir);
    const board = await adminBoard(source.url);
    expect(await source.stop()).toBe(0);
    const stopped = await exportLines(source.dbDir);
    expect(stopped).toEqual(running);
    expect(stopped.join('\n')).toContain('Hints are free, mostly.');
    expect(stopped.join('\n')).toContain('"action":"announce"');
    expect(stopped.join('\n')).toContain('"key":"event_schedule"');

    const target = tempDir('ctfg-db-');
    const restored = await importLines(target, stopped);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/^imported \d+ lines: \d+ users, \d+ events/);
    expect(await exportLines(target)).toEqual(stopped);

    const again = await serve(target);
    expect(await adminBoard(again.url)).toEqual(board);
    // Sessions travel as hashes: the player's old cookie still works on the restored game.
    const old = new Client(again.url);
    old.cookie = clients[4]!.cookie;
    expect((await old.request('GET', '/api/me')).body).toMatchObject({ username: 'player5', displayname: 'plain' });
    const lastEvent = JSON.parse(stopped.find((l) => l.startsWith('{"sequence":"events"'))!).value as number;
    const solve = await old.submit(2, '32');
    expect(solve.status, JSON.stringify(solve.body)).toBe(200);
    const live = await exportLines(target); // the restored game exports while it runs too
    // The console's download is that same snapshot; its audit entry is written once it is sent.
    const download = await admin(again.url, 'GET', '/api/admin/export/backup.jsonl');
    expect(download.headers.get('content-disposition')).toContain('ctfg-backup.jsonl');
    expect((await download.text()).trimEnd().split('\n')).toEqual(live);
    expect((await fetch(`${again.url}/api/admin/export/backup.jsonl`)).status).toBe(401);
    await expect.poll(async () => (await exportLines(target)).some((l) => l.includes('"action":"export_backup"'))).toBe(true);
    live.splice(0, live.length, ...(await exportLines(target)));
    await again.stop();
    expect(await exportLines(target)).toEqual(live);
    const after = (await exportLines(target)).map((l) => JSON.parse(l) as Parsed).filter((p) => p.table === 'events');
    expect(Math.max(...after.map((p) => p.row!.id as number))).toBe(lastEvent + 1);
  }, 300_000);

  it('refuses a store in use, a store holding a game (unless --force) and damaged files, importing nothing', async () => {
    const source = await serve();
    await play(source.url);
    const lines = await exportLines(source.dbDir);
    const busy = await importLines(source.dbDir, lines, ['--force']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(BACKEND === 'postgres' ? /while a ctfg instance uses this database/ : /locked by another process/);
    await source.stop();

    const refused = await importLines(source.dbDir, lines);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds a game \(users, events.*pass --force to replace it/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);

    const target = tempDir('ctfg-db-');
    const truncated = await importLines(target, lines.slice(0, Math.floor(lines.length / 2)));
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/ends after line \d+ without its end line: it is truncated; nothing was imported/);
    const cut = await importLines(target, [...lines.slice(0, 9), lines[9]!.slice(0, 15)]);
    expect(cut.stderr).toMatch(/^ctfg import: line 10: not valid JSON/);
    const foreign = await importLines(target, ['username,password', 'player1,password1']);
    expect(foreign.stderr).toMatch(/^ctfg import: line 1: not a ctfg backup/);
    const empty = JSON.parse((await exportLines(target)).at(-1)!) as { end: { rows: Record<string, number> } };
    expect(Object.values(empty.end.rows).every((n) => n === 0)).toBe(true);

    const forced = await importLines(source.dbDir, lines, ['--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await exportLines(source.dbDir)).toEqual(lines);
  }, 300_000);

  it('serves the live board as results.csv to admins only', async () => {
    const source = await serve();
    await play(source.url);
    expect((await fetch(`${source.url}/api/admin/export/results.csv`)).status).toBe(401);
    const r = await admin(source.url, 'GET', '/api/admin/export/results.csv');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(await r.text()) as string[][];
    expect(rows[0]).toEqual(['pos', 'username', 'displayname', 'team', 'division', 'score', 'solves', 'last_ts']);
    const board = (await (await admin(source.url, 'GET', '/api/admin/scoreboard')).json()) as { standings: Array<Record<string, unknown>> };
    expect(rows.slice(1).map((row) => [Number(row[0]), row[2]!.replace(/^'/, ''), Number(row[5]), Number(row[6]), Number(row[7])])).toEqual(
      board.standings.map((s) => [s.pos, s.displayname, s.score, s.solves, s.last_ts]),
    );
    expect(rows[1]!.slice(1, 3)).toEqual(['player1', 'Al, the Great']);
    expect(rows.find((row) => row[1] === 'player2')?.[2]).toBe("'@home");
    const audit = (await (await admin(source.url, 'GET', '/api/admin/audit')).json()) as { entries: Array<{ action: string }> };
    expect(audit.entries[0]?.action).toBe('export_results');
  }, 120_000);
});
