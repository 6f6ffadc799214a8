import { afterAll, describe, expect, it } from 'vitest';
import { Stream, type Message } from '../helpers/client.js';
import { writeGame } from '../helpers/game.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin, CHALLENGES } from './event-helpers.js';
import { player } from './event-helpers.js';

/** Division boards (SPEC §9), on SQLite and, when its services are up, on PostgreSQL + Redis. */
const BACKENDS: Array<'sqlite' | 'postgres'> = process.env.CTFG_TEST_POSTGRES_URL && process.env.CTFG_TEST_REDIS_URL ? ['sqlite', 'postgres'] : ['sqlite'];

const CREDENTIALS = 'username,password,division\ns1,pw-s1,Student\ns2,pw-s2,Student\no1,pw-o1,Open\nn1,pw-n1,\n';

type Row = { pos: number; displayname: string; score: number; division?: string };

/** Logs in with the `pw-<name>` passwords these games use. */
const enter = player;

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe.each(BACKENDS)('divisions on %s', (backend) => {
  it('ranks within a division on the board, the feed and the export; rows carry division and the overall pos', async () => {
    const s = await startServer({ gameDir: writeGame({ challenges: CHALLENGES, credentials: CREDENTIALS }), backend, dbDir: tempDir('ctfg-div-') });
    servers.push(s);
    const [s1, s2, o1, n1] = await Promise.all([enter(s.url, 's1'), enter(s.url, 's2'), enter(s.url, 'o1'), enter(s.url, 'n1')]);
    await o1.submit(2, 'flag{b}'); // Open 200: first overall
    await s2.submit(1, 'flag{a}'); // Student 100
    await n1.submit(1, 'flag{a}'); // no division, 100, later
    await s1.submit(1, 'flag{a}');
    await s1.submit(2, 'flag{b}'); // Student 300: first overall

    const all = (await s1.request<{ standings: Row[] }>('GET', '/api/scoreboard')).body.standings;
    expect(all.map((r) => [r.pos, r.displayname, r.division])).toEqual([
      [1, 'Name s1', 'Student'],
      [2, 'Name o1', 'Open'],
      [3, 'Name s2', 'Student'],
      [4, 'Name n1', undefined],
    ]);
    expect(all[3]).not.toHaveProperty('division');
    const student = (await s1.request<{ standings: Row[] }>('GET', '/api/scoreboard?division=Student')).body.standings;
    expect(student.map((r) => [r.pos, r.displayname, r.score])).toEqual([
      [1, 'Name s1', 300],
      [2, 'Name s2', 100],
    ]);
    expect((await s1.request<{ standings: Row[] }>('GET', '/api/scoreboard?division=Nobody')).body.standings).toEqual([]);
    // A division's board pages like the whole one, and around=me finds the viewer within it.
    type Page = { standings: Row[]; total: number; offset: number };
    const second = (await s1.request<Page>('GET', '/api/scoreboard?division=Student&limit=1&offset=1')).body;
    expect([second.total, second.offset, second.standings.map((r) => [r.pos, r.displayname])]).toEqual([2, 1, [[2, 'Name s2']]]);
    const mine = (await s2.request<Page>('GET', '/api/scoreboard?division=Student&around=me&limit=1')).body;
    expect(mine.standings.map((r) => r.displayname)).toEqual(['Name s2']);
    const elsewhere = (await o1.request<Page>('GET', '/api/scoreboard?division=Student&around=me')).body;
    expect([elsewhere.standings, elsewhere.offset]).toEqual([[], 2]);
    expect((await s1.request('GET', '/api/scoreboard?division=Student&limit=0')).status).toBe(400);
    expect((await s1.request('GET', `/api/scoreboard?division=${'x'.repeat(41)}`)).status).toBe(400);

    // The snapshot: every row with its division and overall pos.
    const stream = await Stream.open(s2.websocketUrl as string);
    const snap = (await stream.waitFor((m: Message) => !Array.isArray(m) && m.type === 'snapshot')) as { standings: Row[] };
    expect(snap.standings.map((r) => [r.pos, r.division])).toEqual([
      [1, 'Student'],
      [2, 'Open'],
      [3, 'Student'],
      [4, undefined],
    ]);
    stream.close();

    const a = await admin(s.url);
    const feed = await a.request<{ standings: Array<{ pos: number; team: string }> }>('GET', '/api/ctftime?division=Open');
    expect(feed.body.standings).toEqual([expect.objectContaining({ pos: 1, team: 'Name o1' })]);
    const csv = await a.request<string>('GET', '/api/admin/export/results.csv?division=Student');
    const lines = csv.body.trim().split('\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 5))).toEqual([
      ['1', 's1', 'Name s1', '', 'Student'],
      ['2', 's2', 'Name s2', '', 'Student'],
    ]);
    const players = await a.request<{ players: Array<{ username: string; division: string | null }> }>('GET', '/api/admin/players?query=o1');
    expect(players.body.players[0]).toMatchObject({ username: 'o1', division: 'Open' });
  });
});
