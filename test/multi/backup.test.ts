import { afterAll, describe, expect, it } from 'vitest';
import { adminBoard, exportLines, importLines, play } from '../helpers/backup.js';
import { Client } from '../helpers/client.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => (s.process.exitCode === null ? s.stop() : null)));
});

async function serve(dbDir: string, backend: 'sqlite' | 'postgres'): Promise<TestServer> {
  const s = await startServer({ dbDir, backend });
  servers.push(s);
  return s;
}

const sorted = (lines: readonly string[]): string[] => [...lines].sort();

describe('backups between SQLite and PostgreSQL', () => {
  it('moves a played game SQLite → PostgreSQL → SQLite without losing a line, and it plays on', async () => {
    const sqliteDir = tempDir('ctfg-db-');
    const lite = await serve(sqliteDir, 'sqlite');
    const clients = await play(lite.url);
    const board = await adminBoard(lite.url);
    await lite.stop();
    const first = await exportLines(sqliteDir, 'sqlite');

    const pgKey = tempDir('ctfg-db-');
    const intoPg = await importLines(pgKey, first, [], 'postgres');
    expect(intoPg.code, intoPg.stderr).toBe(0);
    const fromPg = await exportLines(pgKey, 'postgres');
    expect(sorted(fromPg)).toEqual(sorted(first));
    expect(fromPg).toEqual(first); // same order too: the export is deterministic on both backends

    // The game runs on PostgreSQL as it ran on SQLite: same board, same sessions, ids continue.
    const onPg = await serve(pgKey, 'postgres');
    expect(await adminBoard(onPg.url)).toEqual(board);
    const player = new Client(onPg.url);
    player.cookie = clients[4]!.cookie;
    expect((await player.submit(2, '32')).status).toBe(200);
    const played = await exportLines(pgKey, 'postgres'); // while the instance runs
    await onPg.stop();
    const events = (lines: string[]) => lines.filter((l) => l.startsWith('{"table":"events"')).map((l) => (JSON.parse(l) as { row: { id: number } }).row.id);
    const lastBefore = (JSON.parse(first.find((l) => l.startsWith('{"sequence":"events"'))!) as { value: number }).value;
    expect(Math.max(...events(played))).toBe(lastBefore + 1);

    const backDir = tempDir('ctfg-db-');
    const intoLite = await importLines(backDir, played, [], 'sqlite');
    expect(intoLite.code, intoLite.stderr).toBe(0);
    expect(await exportLines(backDir, 'sqlite')).toEqual(played);
  }, 400_000);
});
