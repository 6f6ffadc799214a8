import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditResponse, InvalidGameResponse, ReloadResponse, ScoreboardResponse } from '../../src/protocol/api.js';
import { Client, Stream, type Message } from '../helpers/client.js';
import { runCli, startServer, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { admin, CHALLENGES, eventGame, isClock, iso, player } from './event-helpers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});
async function serve(gameDir: string): Promise<TestServer> {
  const s = await startServer({ gameDir });
  servers.push(s);
  return s;
}

const CHARLIE = { id: 3, title: 'Charlie', category: 'pwn', difficulty: 'hard', points: 300, description: 'c', flag: '^flag\\{c\\}$', testflag: 'flag{c}' };

function writeChallenges(dir: string, challenges: unknown[]): void {
  fs.writeFileSync(path.join(dir, 'challenges.json'), JSON.stringify(challenges, null, 2));
}
function writeCredentials(dir: string, players: readonly string[]): void {
  fs.writeFileSync(path.join(dir, 'credentials.csv'), `username,password\n${players.map((p) => `${p},pw-${p}`).join('\n')}\n`);
}

const isReload = (m: Message): boolean => !Array.isArray(m) && m.type === 'system' && m.event === 'reload';

async function reload(base: string): Promise<{ status: number; body: ReloadResponse & InvalidGameResponse }> {
  return (await admin(base)).request<ReloadResponse & InvalidGameResponse>('POST', '/api/admin/reload');
}

async function points(c: Client, id: number): Promise<number | undefined> {
  const list = await c.request<Array<{ id: number; points: number }>>('GET', '/api/challenges');
  return list.body.find((x) => x.id === id)?.points;
}

async function auditActions(base: string): Promise<AuditResponse['entries']> {
  return (await (await admin(base)).request<AuditResponse>('GET', '/api/admin/audit')).body.entries;
}

describe('POST /api/admin/reload (SPEC §8)', () => {
  it('needs an admin', async () => {
    const s = await serve(eventGame(null));
    expect(await new Client(s.url).request('POST', '/api/admin/reload')).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    const bearer = await new Client(s.url).request('POST', '/api/admin/reload', undefined, { authorization: `Bearer ${TEST_TOKENS.admin}` });
    expect(bearer).toMatchObject({ status: 200, body: { challenges: 2, players: 4, changes: [] } });
  });

  it('refuses a folder with problems with the validate report, and changes nothing at all', async () => {
    const dir = eventGame(null);
    const s = await serve(dir);
    const p1 = await player(s.url, 'p1');
    // Good edits (points, a new player, an event title) next to a broken flag: none may apply.
    writeChallenges(dir, [{ ...CHALLENGES[0], points: 999 }, { ...CHALLENGES[1], flag: '^flag\\{(b$' }]);
    writeCredentials(dir, ['p1', 'p2', 'p3', 'p4', 'p5']);
    fs.writeFileSync(path.join(dir, 'event.yaml'), 'title: Never\nstart: yesterday\n');
    const r = await reload(s.url);
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('invalid_game');
    expect(r.body.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: path.join(dir, 'challenges.json'), where: 'challenge 2, field flag' }),
        expect.objectContaining({ file: path.join(dir, 'event.yaml'), where: expect.stringContaining('start') as string }),
      ]),
    );
    const validate = await runCli(['validate', dir]);
    for (const p of r.body.problems) expect(validate.stdout + validate.stderr).toContain(p.message);
    expect(await points(p1, 1)).toBe(100);
    expect((await new Client(s.url).login('p5', 'pw-p5')).status).toBe(401);
    expect((await new Client(s.url).request('GET', '/api/config')).body).not.toMatchObject({ title: 'Never' });
    const entry = (await auditActions(s.url)).find((e) => e.action === 'reload_refused');
    expect(entry?.detail).toContain('challenge 2, field flag');
    expect(entry?.detail).not.toContain('flag\\{');
  });

  it('applies a good folder at once: changes listed, new player in, removed player out, apps refetch', async () => {
    const dir = eventGame(null);
    const s = await serve(dir);
    const p1 = await player(s.url, 'p1');
    const p4 = await player(s.url, 'p4');
    expect((await p4.submit(2, 'flag{b}')).status).toBe(200);
    const p1Stream = await Stream.open(p1.websocketUrl as string);
    const p4Stream = await Stream.open(p4.websocketUrl as string);
    await Promise.all([p1Stream.waitFor(() => true), p4Stream.waitFor(() => true)]);

    writeChallenges(dir, [{ ...CHALLENGES[0], points: 150 }, CHALLENGES[1], CHARLIE]);
    writeCredentials(dir, ['p1', 'p2', 'p3', 'p5']);
    fs.writeFileSync(path.join(dir, 'event.yaml'), 'title: Reloaded\n');
    const r = await reload(s.url);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      challenges: 3,
      players: 4,
      changes: [
        'challenge 1 "Alpha": points 100 → 150',
        'challenge 3 "Charlie": added (300 points)',
        'players added (1): p5',
        'players removed (they can no longer log in; their past events stay) (1): p4',
        'event.yaml title: none → "Reloaded"',
      ],
    });

    await p1Stream.waitFor(isReload, 1000);
    // A fresh board first (scores may follow new points), then the refetch.
    expect(p1Stream.messages.filter((m) => !Array.isArray(m) && m.type === 'snapshot')).toHaveLength(2);
    expect(await p4Stream.waitClose(2000)).toBe(4001);
    expect(await points(p1, 1)).toBe(150);
    expect(await points(p1, 3)).toBe(300);
    expect(await p1.submit(3, 'flag{c}')).toMatchObject({ status: 200, body: { result: 'correct' } });
    const p5 = await player(s.url, 'p5');
    expect((await p5.request('GET', '/api/me')).status).toBe(200);
    expect((await new Client(s.url).login('p4', 'pw-p4')).status).toBe(401);
    expect((await p4.request('GET', '/api/me')).status).toBe(401);
    // The removed player's past solve stays on the board.
    const board = await p1.request<ScoreboardResponse>('GET', '/api/scoreboard');
    expect(board.body.standings.find((row) => row.displayname === 'Name p4')).toMatchObject({ score: 200, solves: 1 });
    expect((await new Client(s.url).request('GET', '/api/config')).body).toMatchObject({ title: 'Reloaded' });
    const entry = (await auditActions(s.url)).find((e) => e.action === 'reload');
    expect(entry).toMatchObject({ admin: 'Ada' });
    expect(entry?.detail).toContain('points 100 → 150');
    p1Stream.close();
  });

  it('values past solves at the new points (scores follow the game)', async () => {
    const dir = eventGame(null);
    const s = await serve(dir);
    const p1 = await player(s.url, 'p1');
    expect((await p1.submit(1, 'flag{a}')).status).toBe(200);
    const stream = await Stream.open(p1.websocketUrl as string);
    await stream.waitFor(() => true);
    writeChallenges(dir, [{ ...CHALLENGES[0], points: 150 }, CHALLENGES[1]]);
    expect((await reload(s.url)).status).toBe(200);
    await stream.waitFor(isReload, 1000);
    stream.close();
    const snapshots = stream.messages.filter((m): m is Record<string, unknown> => !Array.isArray(m) && m.type === 'snapshot');
    expect(snapshots[1]?.standings).toEqual([expect.objectContaining({ displayname: 'Name p1', score: 150 })]);
    const board = await p1.request<ScoreboardResponse>('GET', '/api/scoreboard');
    expect(board.body.standings.find((row) => row.displayname === 'Name p1')).toMatchObject({ score: 150 });
    expect((await p1.request('GET', '/api/me')).body).toMatchObject({ score: 150 });
  });

  it('applies event.yaml to the clock: a moved start opens the event and every socket hears it', async () => {
    const dir = eventGame(`start: ${iso(Date.now() + 3_600_000)}\n`);
    const s = await serve(dir);
    const p1 = await player(s.url, 'p1');
    const stream = await Stream.open(p1.websocketUrl as string);
    await stream.waitFor(() => true);
    expect((await p1.request('GET', '/api/event')).body).toMatchObject({ state: 'before' });
    expect(await p1.submit(1, 'flag{a}')).toMatchObject({ status: 403, body: { error: 'not_started' } });
    // The admin's end stays until the file brings an end of its own (SPEC §7).
    const adminEnd = Date.now() + 7_200_000;
    const fileEnd = Date.now() + 10_800_000;
    expect((await (await admin(s.url)).request('POST', '/api/admin/event', { end: iso(adminEnd) })).status).toBe(200);
    fs.writeFileSync(path.join(dir, 'event.yaml'), `start: ${iso(Date.now() - 1000)}\n`);
    const r = await reload(s.url);
    expect(r.body.changes).toEqual([expect.stringMatching(/^event\.yaml start: .* → .*Z$/)]);
    await stream.waitFor(isClock('running'), 1000);
    expect((await p1.request('GET', '/api/event')).body).toMatchObject({ state: 'running', end: adminEnd });
    fs.writeFileSync(path.join(dir, 'event.yaml'), `start: ${iso(Date.now() - 1000)}\nend: ${iso(fileEnd)}\n`);
    expect((await reload(s.url)).status).toBe(200);
    expect((await p1.request('GET', '/api/event')).body).toMatchObject({ state: 'running', end: fileEnd });
    expect(await p1.submit(1, 'flag{a}')).toMatchObject({ status: 200, body: { result: 'correct' } });
    stream.close();
  });
});
