import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream, type Message } from '../helpers/client.js';
import { startServer, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { admin, eventGame, isClock, iso, player } from './event-helpers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});
async function serve(...args: Parameters<typeof startServer>): Promise<TestServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}

describe('the clock (SPEC §7)', () => {
  it('counts down, then opens by time and tells a connected socket within a second', async () => {
    const fileStart = Date.now() + 3_600_000;
    const s = await serve({ gameDir: eventGame(`title: Heist\nstart: ${iso(fileStart)}\n`) });
    const p1 = await player(s.url, 'p1');
    const ev = await p1.request('GET', '/api/event');
    expect(ev.body).toMatchObject({ title: 'Heist', state: 'before', start: fileStart, end: null, freeze: null, frozen: false, paused: false });
    expect((await p1.request('GET', '/api/challenges')).body).toEqual([]);
    expect(await p1.submit(1, 'flag{a}')).toMatchObject({ status: 403, body: { error: 'not_started' } });
    expect(await p1.hint(1, 1)).toMatchObject({ status: 403, body: { error: 'not_started' } });
    const award = await new Client(s.url).request('POST', '/api/award', { username: 'p1', id: 1 }, { authorization: TEST_TOKENS.api });
    expect(award).toMatchObject({ status: 403, body: { error: 'not_started' } });
    expect((await new Client(s.url).request('GET', '/api/config')).body).toMatchObject({ title: 'Heist' });
    const stream = await Stream.open(p1.websocketUrl as string);
    // Moved closer by the admin; the change to running then comes by time, from the clock's timer.
    const start = Date.now() + 2500;
    const moved = await (await admin(s.url)).request('POST', '/api/admin/event', { start: iso(start) });
    expect(moved.body).toMatchObject({ state: 'before', start });
    await stream.waitFor(isClock('running'), 8000);
    const arrived = Date.now();
    expect(arrived - start).toBeLessThan(1000);
    expect(arrived).toBeGreaterThanOrEqual(start);
    expect((await p1.request<unknown[]>('GET', '/api/challenges')).body.length).toBe(2);
    expect(await p1.submit(1, 'flag{a}')).toMatchObject({ status: 200, body: { result: 'correct' } });
    stream.close();
  });

  it('pauses and resumes through the admin, ends by time, and stores the schedule across a restart', async () => {
    const game = eventGame('title: Stored\n');
    let s = await serve({ gameDir: game });
    const a = await admin(s.url);
    const p1 = await player(s.url, 'p1');
    const stream = await Stream.open(p1.websocketUrl as string);
    const paused = await a.request('POST', '/api/admin/event', { paused: true });
    expect(paused).toMatchObject({ status: 200, body: { state: 'paused', paused: true } });
    await stream.waitFor(isClock('paused'), 1000);
    expect(await p1.submit(1, 'flag{a}')).toMatchObject({ status: 403, body: { error: 'paused' } });
    expect((await p1.request<unknown[]>('GET', '/api/challenges')).body.length).toBe(2);
    await a.request('POST', '/api/admin/event', { paused: false });
    await stream.waitFor(isClock('running'), 1000);
    expect(await a.request('POST', '/api/admin/event', { start: iso(Date.now()), end: iso(Date.now() - 1000) })).toMatchObject({
      status: 400,
    });
    const end = Date.now() + 1500;
    expect((await a.request('POST', '/api/admin/event', { end: iso(end) })).body).toMatchObject({ state: 'running', end });
    await stream.waitFor(isClock('ended'), 3000);
    expect(Date.now() - end).toBeLessThan(1000);
    expect(await p1.submit(1, 'flag{a}')).toMatchObject({ status: 403, body: { error: 'ended' } });
    stream.close();

    const dbDir = s.dbDir;
    await s.stop();
    s = await serve({ gameDir: game, dbDir });
    expect((await new Client(s.url).request('GET', '/api/event')).body).toMatchObject({ title: 'Stored', state: 'ended', end });
    expect(s.output()).toContain('stored event schedule differs from event.yaml');
  });

  it('guards the admin login and writes the audit log', async () => {
    const s = await serve({ gameDir: eventGame(null) });
    const c = new Client(s.url);
    expect(await c.request('POST', '/api/admin/login', { token: 'wrong', name: 'Eve' })).toMatchObject({ status: 401 });
    expect(await c.request('POST', '/api/admin/event', { paused: true })).toMatchObject({ status: 401 });
    const login = await c.request('POST', '/api/admin/login', { token: TEST_TOKENS.admin, name: 'Ada' });
    expect(login.status).toBe(204);
    expect(login.headers.get('set-cookie')).toMatch(/ctfg_admin=.*HttpOnly.*SameSite=Strict/i);
    expect(await c.request('POST', '/api/admin/event', { paused: true }, { origin: 'https://evil.example' })).toMatchObject({
      status: 403,
      body: { error: 'forbidden_origin' },
    });
    const bearer = { authorization: `Bearer ${TEST_TOKENS.admin}` };
    expect(await new Client(s.url).request('POST', '/api/admin/event', { paused: false }, bearer)).toMatchObject({ status: 200 });
    const auditLog = await c.request<{ entries: Array<{ admin: string; action: string }> }>('GET', '/api/admin/audit');
    expect(auditLog.body.entries.map((e) => [e.admin, e.action])).toEqual([
      ['token', 'event'],
      ['Ada', 'login'],
      ['Eve', 'login_failed'],
    ]);
    expect(await c.request('POST', '/api/admin/logout')).toMatchObject({ status: 204 });
    expect(await c.request('GET', '/api/admin/audit')).toMatchObject({ status: 401 });

    const bare = await serve({ gameDir: eventGame(null), env: { CTFG_ADMIN_TOKEN: '' } });
    expect(await new Client(bare.url).request('POST', '/api/admin/login', { token: 'x', name: 'Ada' })).toMatchObject({
      status: 403,
      body: { error: 'admin_not_configured' },
    });
  });

  it('releases a challenge on time with a reload and an announcement, and hides it before', { timeout: 60_000 }, async () => {
    // Far enough ahead that a slow start (PostgreSQL on a busy CI machine) still begins before the release.
    const release = Date.now() + 25_000;
    const late = { id: 3, title: 'Charlie', category: 'pwn', difficulty: 'hard', points: 300, description: 'c', flag: '^c$', release: iso(release) };
    const s = await serve({ gameDir: eventGame(null, [late]) });
    const p1 = await player(s.url, 'p1');
    expect((await p1.request<Array<{ id: number }>>('GET', '/api/challenges')).body.map((c) => c.id)).toEqual([1, 2]);
    expect(await p1.submit(3, 'c')).toMatchObject({ status: 400, body: { error: 'unknown_id' } });
    const stream = await Stream.open(p1.websocketUrl as string);
    await stream.waitFor((m) => !Array.isArray(m) && m.event === 'reload', 30_000);
    expect(Date.now() - release).toBeLessThan(1000);
    const note = (await stream.waitFor((m) => !Array.isArray(m) && m.type === 'announcement', 2000)) as Record<string, unknown>;
    expect(note.text).toContain('Charlie');
    expect((await p1.request<Array<{ id: number }>>('GET', '/api/challenges')).body.map((c) => c.id)).toEqual([1, 2, 3]);
    expect(await p1.submit(3, 'c')).toMatchObject({ status: 200, body: { result: 'correct' } });
    stream.close();
  });

  it('stores, pushes, lists and deletes announcements', async () => {
    const s = await serve({ gameDir: eventGame(null) });
    const a = await admin(s.url);
    const p1 = await player(s.url, 'p1');
    const stream = await Stream.open(p1.websocketUrl as string);
    const isNote = (m: Message): boolean => !Array.isArray(m) && m.type === 'announcement';
    expect(await a.request('POST', '/api/admin/announcements', { text: 'x'.repeat(2001) })).toMatchObject({ status: 400 });
    const added = await a.request<{ id: number; ts: number; text: string }>('POST', '/api/admin/announcements', { text: 'Challenge **7** fixed' });
    expect(added).toMatchObject({ status: 201, body: { text: 'Challenge **7** fixed' } });
    expect(await stream.waitFor(isNote, 2000)).toEqual({ type: 'announcement', ...added.body });
    await a.request('POST', '/api/admin/announcements', { text: 'second' });
    const list = await p1.request<Array<{ text: string }>>('GET', '/api/announcements');
    expect(list.body.map((n) => n.text)).toEqual(['second', 'Challenge **7** fixed']);
    expect(await new Client(s.url).request('GET', '/api/announcements')).toMatchObject({ status: 401 });
    expect(await a.request('DELETE', `/api/admin/announcements/${added.body.id}`)).toMatchObject({ status: 204 });
    await stream.waitFor((m) => isNote(m) && (m as Record<string, unknown>).deleted === true, 2000);
    expect(await a.request('DELETE', `/api/admin/announcements/${added.body.id}`)).toMatchObject({ status: 404 });
    expect((await p1.request<unknown[]>('GET', '/api/announcements')).body).toHaveLength(1);
    stream.close();
  });
});
