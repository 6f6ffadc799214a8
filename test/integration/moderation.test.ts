import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Stream, type Message } from '../helpers/client.js';
import { startServer, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { admin, eventGame, player } from './event-helpers.js';

/** SPEC §8 moderation rows, on the backend CTFG_TEST_BACKEND names (SQLite by default). */
let s: TestServer;
const gameDir = eventGame('public_scoreboard: true\nfirst_blood_bonus: [30, 20, 10]\n');
beforeAll(async () => {
  s = await startServer({ gameDir });
});
afterAll(async () => {
  await s?.stop();
});

type Row = { displayname: string; score: number; solves: number };
const isSnapshot = (m: Message): boolean => !Array.isArray(m) && m.type === 'snapshot';
const board = async (): Promise<Array<[string, number]>> =>
  (await new Client(s.url).request<{ standings: Row[] }>('GET', '/api/scoreboard')).body.standings.map((r) => [r.displayname, r.score]);
const feed = async (): Promise<Array<[string, number]>> =>
  (await new Client(s.url).request<{ standings: Array<{ team: string; score: number }> }>('GET', '/api/ctftime')).body.standings.map((r) => [r.team, r.score]);
const snapshotAfter = async (stream: Stream, mark: number): Promise<Row[]> =>
  ((await stream.waitFor((m) => isSnapshot(m) && stream.messages.indexOf(m) >= mark)) as { standings: Row[] }).standings;

describe('admin moderation (SPEC §8)', () => {
  it('refuses without an admin and answers 404 for unknown players and challenges', async () => {
    const anon = new Client(s.url);
    expect((await anon.request('GET', '/api/admin/players')).status).toBe(401);
    expect((await anon.request('POST', '/api/admin/players/ban', { username: 'p1', reason: 'x' })).status).toBe(401);
    const a = await admin(s.url);
    expect(await a.request('POST', '/api/admin/players/ban', { username: 'nobody', reason: 'x' })).toMatchObject({ status: 404, body: { error: 'unknown_user' } });
    expect(await a.request('POST', '/api/admin/solves/revoke', { username: 'p1', id: 99, reason: 'x' })).toMatchObject({ status: 404, body: { error: 'unknown_id' } });
    expect(await a.request('POST', '/api/admin/challenges/visibility', { id: 99, hidden: true })).toMatchObject({ status: 404, body: { error: 'unknown_id' } });
    expect((await a.request('POST', '/api/admin/adjust', { username: 'p1', points: 0, reason: 'x' })).status).toBe(400);
    expect((await a.request('POST', '/api/admin/adjust', { username: 'p1', points: 1.5, reason: 'x' })).status).toBe(400);
    const bearer = await new Client(s.url).request('GET', '/api/admin/players?limit=2', undefined, { authorization: `Bearer ${TEST_TOKENS.admin}` });
    expect(bearer.body).toMatchObject({ total: 4, players: [{ username: 'p1' }, { username: 'p2' }] });
  });

  it('a ban ends the sessions and sockets, refuses login, and takes the player off every board and first-blood order; unban restores', async () => {
    const a = await admin(s.url);
    const [p1, p2, p3] = [await player(s.url, 'p1'), await player(s.url, 'p2'), await player(s.url, 'p3')];
    expect((await p1.submit(1, 'flag{a}')).body).toMatchObject({ points: 130 });
    expect((await p2.submit(1, 'flag{a}')).body).toMatchObject({ points: 120 });
    const s1 = await Stream.open(p1.websocketUrl as string);
    const s3 = await Stream.open(p3.websocketUrl as string);
    await Promise.all([s1.waitFor(isSnapshot), s3.waitFor(isSnapshot)]);
    const mark = s3.messages.length;
    const banned = Date.now();
    expect(await a.request('POST', '/api/admin/players/ban', { username: 'p1', reason: 'flag sharing' })).toMatchObject({ status: 200 });
    expect(await s1.waitClose(2000)).toBe(4001);
    expect(Date.now() - banned).toBeLessThan(2000);
    expect((await snapshotAfter(s3, mark)).map((r) => [r.displayname, r.score])).toEqual([['Name p2', 130]]);
    expect((await p1.request('GET', '/api/me')).status).toBe(401);
    expect(await new Client(s.url).login('p1', 'pw-p1')).toMatchObject({ status: 403, body: { error: 'banned', reason: 'flag sharing' } });
    expect(await board()).toEqual([['Name p2', 130]]);
    expect(await feed()).toEqual([['Name p2', 130]]);
    const listed = await a.request<{ players: Array<Record<string, unknown>> }>('GET', '/api/admin/players?query=P1');
    expect(listed.body.players).toEqual([
      expect.objectContaining({ username: 'p1', displayname: 'Name p1', score: 100, solves: 1, banned: true, ban_reason: 'flag sharing', team: null, division: null }),
    ]);
    expect(await new Client(s.url).request('POST', '/api/award', { username: 'p1', id: 2 }, { authorization: TEST_TOKENS.api })).toMatchObject({ status: 403, body: { error: 'banned' } });

    expect((await a.request('POST', '/api/admin/players/unban', { username: 'p1' })).status).toBe(200);
    expect(await board()).toEqual([['Name p1', 130], ['Name p2', 120]]);
    expect((await new Client(s.url).login('p1', 'pw-p1')).status).toBe(200);
    const audit = await a.request<{ entries: Array<{ action: string; detail: string }> }>('GET', '/api/admin/audit');
    expect(audit.body.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['ban', 'unban']));
    expect(JSON.stringify(audit.body)).not.toContain('flag{');
    s3.close();
  });

  it('an unranked player plays normally but is left out of boards, feeds and ranks', async () => {
    const a = await admin(s.url);
    const p4 = await player(s.url, 'p4');
    expect((await a.request('POST', '/api/admin/players/unranked', { username: 'p4', unranked: true })).status).toBe(200);
    expect((await p4.submit(2, 'flag{b}')).body).toEqual({ result: 'correct', points: 200, total: 200 });
    expect((await p4.request('GET', '/api/me')).body).toMatchObject({ score: 200 });
    expect((await board()).map(([n]) => n)).not.toContain('Name p4');
    expect((await feed()).map(([n]) => n)).not.toContain('Name p4');
    // The next ranked solver is first blood while p4 is unranked; ranking p4 again restores the order of the solves.
    const p3 = await player(s.url, 'p3');
    expect((await p3.submit(2, 'flag{b}')).body).toMatchObject({ points: 230 });
    expect((await a.request('POST', '/api/admin/players/unranked', { username: 'p4', unranked: false })).status).toBe(200);
    expect(await board()).toContainEqual(['Name p4', 230]);
    expect(await board()).toContainEqual(['Name p3', 220]);
  });

  it('clear-name blocks the name for everyone, forever, and the player must pick another', async () => {
    const a = await admin(s.url);
    const p2 = new Client(s.url);
    await p2.login('p2', 'pw-p2');
    expect((await a.request('POST', '/api/admin/players/clear-name', { username: 'p2' })).status).toBe(200);
    expect((await p2.request('GET', '/api/me')).body).toMatchObject({ displayname: null, needs_name: true });
    expect((await board()).map(([n]) => n)).toContain('p2');
    expect(await p2.request('POST', '/api/set-name', { name: 'name P2' })).toMatchObject({ status: 409, body: { error: 'name_taken' } });
    const p3 = new Client(s.url);
    await p3.login('p3', 'pw-p3');
    expect((await p3.request('POST', '/api/set-name', { name: 'Name p2' })).status).toBe(409);
    expect((await p2.request('POST', '/api/set-name', { name: 'Second Name' })).status).toBe(200);
  });

  it('adjust is a broadcast event that counts in the board, the feed and resumes', async () => {
    const a = await admin(s.url);
    const watcher = await player(s.url, 'p3');
    const stream = await Stream.open(watcher.websocketUrl as string);
    const first = (await stream.waitFor(isSnapshot)) as { last_id: number };
    const before = new Map(await board());
    const r = await a.request<{ id: number; score: number }>('POST', '/api/admin/adjust', { username: 'p4', points: -20, reason: 'abuse' });
    expect(r.status).toBe(200);
    const got = (await stream.waitFor((m) => Array.isArray(m) && m.some((e) => e.type === 'adjust'))) as Array<Record<string, unknown>>;
    expect(got.find((e) => e.type === 'adjust')).toEqual({ id: r.body.id, type: 'adjust', displayname: 'Name p4', points: -20, reason: 'abuse', ts: expect.any(Number) });
    expect(new Map(await board()).get('Name p4')).toBe((before.get('Name p4') ?? 0) - 20);
    expect(new Map(await feed()).get('Name p4')).toBe((before.get('Name p4') ?? 0) - 20);
    const resumed = await Stream.open(`${watcher.websocketUrl}&since=${first.last_id}`);
    const missed = (await resumed.waitFor(Array.isArray)) as Array<Record<string, unknown>>;
    expect(missed.map((e) => e.type)).toEqual(['adjust']);
    stream.close();
    resumed.close();
  });

  it('revoke cancels a solve (score, first blood), is followed by a snapshot, and the player may solve again', async () => {
    const a = await admin(s.url);
    const p3 = await player(s.url, 'p3');
    const stream = await Stream.open(p3.websocketUrl as string);
    await stream.waitFor(isSnapshot);
    const mark = stream.messages.length;
    const before = new Map(await board());
    // p4 was first blood on 2 (230) and was adjusted by -20.
    expect(before.get('Name p4')).toBe(210);
    expect((await a.request('POST', '/api/admin/solves/revoke', { username: 'p4', id: 2, reason: 'shared flag' })).status).toBe(200);
    const revoked = (await stream.waitFor((m) => Array.isArray(m) && m.some((e) => e.type === 'revoke'))) as Array<Record<string, unknown>>;
    expect(revoked[0]).toMatchObject({ type: 'revoke', displayname: 'Name p4', challenge_id: 2, reason: 'shared flag' });
    const rows = await snapshotAfter(stream, mark);
    expect(rows.find((r) => r.displayname === 'Name p4')).toMatchObject({ score: -20, solves: 0 });
    // p3 moves up to first blood on 2.
    expect(rows.find((r) => r.displayname === 'Name p3')?.score).toBe(230);
    expect(await board()).toContainEqual(['Name p3', 230]);
    expect(await a.request('POST', '/api/admin/solves/revoke', { username: 'p4', id: 2, reason: 'again' })).toMatchObject({ status: 409, body: { error: 'not_solved' } });
    const p4 = await player(s.url, 'p4');
    expect((await p4.submit(2, 'flag{b}')).body).toMatchObject({ result: 'correct', points: 220 });
    stream.close();
  });

  it('admin award works in any clock state; /api/award follows the clock', async () => {
    const a = await admin(s.url);
    expect((await a.request('POST', '/api/admin/event', { paused: true })).status).toBe(200);
    try {
      const judge = await new Client(s.url).request('POST', '/api/award', { username: 'p2', id: 2 }, { authorization: TEST_TOKENS.api });
      expect(judge).toMatchObject({ status: 403, body: { error: 'paused' } });
      expect(await a.request('POST', '/api/admin/award', { username: 'p2', id: 2, reason: 'write-up' })).toMatchObject({ status: 200, body: { result: 'ok' } });
      expect(await a.request('POST', '/api/admin/award', { username: 'p2', id: 2, reason: 'twice' })).toMatchObject({ status: 200, body: { result: 'already_solved' } });
    } finally {
      await a.request('POST', '/api/admin/event', { paused: false });
    }
    const audit = await a.request<{ entries: Array<{ action: string; detail: string }> }>('GET', '/api/admin/audit');
    expect(audit.body.entries.some((e) => e.action === 'award' && e.detail.includes('write-up'))).toBe(true);
  });

  it('a hidden challenge vanishes from lists and answers unknown_id; its solves still count', async () => {
    const a = await admin(s.url);
    const p1 = await player(s.url, 'p1');
    const stream = await Stream.open(p1.websocketUrl as string);
    await stream.waitFor(isSnapshot);
    const before = await board();
    expect(await a.request('POST', '/api/admin/challenges/visibility', { id: 2, hidden: true })).toMatchObject({ status: 200, body: { hidden: [2] } });
    await stream.waitFor((m) => !Array.isArray(m) && m.type === 'system' && m.event === 'reload');
    const ids = (await p1.request<Array<{ id: number }>>('GET', '/api/challenges')).body.map((c) => c.id);
    expect(ids).toEqual([1]);
    expect(await p1.submit(2, 'flag{b}')).toMatchObject({ status: 400, body: { error: 'unknown_id' } });
    expect(await board()).toEqual(before);
    expect((await a.request('POST', '/api/admin/challenges/visibility', { id: 2, hidden: false })).body).toMatchObject({ hidden: [] });
    expect((await p1.request<Array<{ id: number }>>('GET', '/api/challenges')).body.map((c) => c.id)).toEqual([1, 2]);
    stream.close();
  });

  it('keeps bans, blocked names and hidden challenges across a restart', async () => {
    const a = await admin(s.url);
    await a.request('POST', '/api/admin/players/ban', { username: 'p1', reason: 'again' });
    await a.request('POST', '/api/admin/challenges/visibility', { id: 1, hidden: true });
    const before = await board();
    await s.stop();
    s = await startServer({ gameDir, dbDir: s.dbDir });
    expect(await board()).toEqual(before);
    expect(await new Client(s.url).login('p1', 'pw-p1')).toMatchObject({ status: 403, body: { reason: 'again' } });
    const p2 = await player(s.url, 'p2').catch(() => null);
    expect(p2).toBeNull(); // "Name p2" is blocked
    const p3 = await player(s.url, 'p3');
    expect(await p3.submit(1, 'flag{a}')).toMatchObject({ status: 400, body: { error: 'unknown_id' } });
  });
});
