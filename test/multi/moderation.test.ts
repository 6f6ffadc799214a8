import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Stream, type Message } from '../helpers/client.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin, eventGame, player } from '../integration/event-helpers.js';

/** Two instances on one PostgreSQL database and one Redis: moderation on A applies on B. */
let a: TestServer;
let b: TestServer;
const dbDir = tempDir('ctfg-multi-mod-');

beforeAll(async () => {
  const gameDir = eventGame('first_blood_bonus: [30, 20, 10]\n');
  [a, b] = (await Promise.all([0, 1].map(() => startServer({ gameDir, dbDir, backend: 'postgres' })))) as [TestServer, TestServer];
});
afterAll(async () => {
  await Promise.all([a, b].map((s) => s?.stop()));
});

const isSnapshot = (m: Message): boolean => !Array.isArray(m) && m.type === 'snapshot';
type Row = { displayname: string; score: number };

describe('moderation across instances', () => {
  it('a ban through A closes the player socket on B within 2 s, and B refuses the login and drops the row', async () => {
    const onB = await player(b.url, 'p1');
    expect((await onB.submit(1, 'flag{a}')).body).toMatchObject({ points: 130 });
    const watcher = await player(b.url, 'p2');
    const [banned, watching] = [await Stream.open(onB.websocketUrl as string), await Stream.open(watcher.websocketUrl as string)];
    await Promise.all([banned.waitFor(isSnapshot), watching.waitFor(isSnapshot)]);
    const mark = watching.messages.length;
    const sent = Date.now();
    expect((await (await admin(a.url)).request('POST', '/api/admin/players/ban', { username: 'p1', reason: 'bot' })).status).toBe(200);
    expect(await banned.waitClose(2000)).toBe(4001);
    expect(Date.now() - sent).toBeLessThan(2000);
    const snap = (await watching.waitFor((m) => isSnapshot(m) && watching.messages.indexOf(m) >= mark, 2000)) as { standings: Row[] };
    expect(snap.standings.map((r) => r.displayname)).not.toContain('Name p1');
    expect((await onB.request('GET', '/api/me')).status).toBe(401);
    expect(await new Client(b.url).login('p1', 'pw-p1')).toMatchObject({ status: 403, body: { error: 'banned', reason: 'bot' } });
    // The next solver on B is first blood.
    expect((await watcher.submit(1, 'flag{a}')).body).toMatchObject({ points: 130 });
    await (await admin(b.url)).request('POST', '/api/admin/players/unban', { username: 'p1' });
    watching.close();
  });

  it('visibility, adjust and revoke through A apply on B', async () => {
    const onB = await player(b.url, 'p3');
    const stream = await Stream.open(onB.websocketUrl as string);
    await stream.waitFor(isSnapshot);
    const adminA = await admin(a.url);
    expect((await adminA.request('POST', '/api/admin/challenges/visibility', { id: 2, hidden: true })).status).toBe(200);
    await stream.waitFor((m) => !Array.isArray(m) && m.type === 'system' && m.event === 'reload', 2000);
    expect((await onB.request<Array<{ id: number }>>('GET', '/api/challenges')).body.map((c) => c.id)).toEqual([1]);
    expect(await onB.submit(2, 'flag{b}')).toMatchObject({ status: 400, body: { error: 'unknown_id' } });
    await adminA.request('POST', '/api/admin/challenges/visibility', { id: 2, hidden: false });

    expect((await adminA.request('POST', '/api/admin/adjust', { username: 'p3', points: 15, reason: 'write-up' })).status).toBe(200);
    await stream.waitFor((m) => Array.isArray(m) && m.some((e) => e.type === 'adjust' && e.displayname === 'Name p3' && e.points === 15), 2000);
    expect((await onB.request('GET', '/api/me')).body).toMatchObject({ score: 15 });

    expect((await onB.submit(2, 'flag{b}')).body).toMatchObject({ result: 'correct', points: 230 });
    const mark = stream.messages.length;
    expect((await adminA.request('POST', '/api/admin/solves/revoke', { username: 'p3', id: 2, reason: 'shared' })).status).toBe(200);
    await stream.waitFor((m) => isSnapshot(m) && stream.messages.indexOf(m) >= mark, 2000);
    expect((await onB.request('GET', '/api/me')).body).toMatchObject({ score: 15 });
    expect((await onB.submit(2, 'flag{b}')).body).toMatchObject({ result: 'correct' });
    stream.close();
  });
});
