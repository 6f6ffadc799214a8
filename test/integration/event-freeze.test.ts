import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream, type Message } from '../helpers/client.js';
import { startServer, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { admin, adminStream, eventGame, isClock, iso, player } from './event-helpers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

type Row = { displayname: string; score: number; solves: number };
const isSnapshot = (m: Message): boolean => !Array.isArray(m) && m.type === 'snapshot';
const settle = (ms = 400): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('freeze, reveal and first blood (SPEC §7)', () => {
  it('freezes every public surface, keeps the own view and the admin live, and reveals with a fresh snapshot', async () => {
    const s = await startServer({ gameDir: eventGame('public_scoreboard: true\nfirst_blood_bonus: [30, 20, 10]\n'), env: { CTFG_FEED_KEY: 'feed-key-0123456789' } });
    servers.push(s);
    const a = await admin(s.url);
    const [p1, p2, p3] = [await player(s.url, 'p1'), await player(s.url, 'p2'), await player(s.url, 'p3')];

    // Before the freeze: first blood with its bonus, seen by everyone.
    expect((await p1.submit(1, 'flag{a}')).body).toEqual({ result: 'correct', points: 130, total: 130 });
    const s2 = await Stream.open(p2.websocketUrl as string);
    const first = (await s2.waitFor(isSnapshot)) as { last_id: number };
    const beforeFreeze = first.last_id;

    const freeze = Date.now();
    const set = await a.request('POST', '/api/admin/event', { freeze: iso(freeze) });
    expect(set.body).toMatchObject({ freeze, frozen: true });
    await s2.waitFor(isClock('running'));
    const s3 = await Stream.open(p3.websocketUrl as string);
    const sa = await adminStream(a);
    const viewerUrl = (await new Client(s.url).request<{ websocket_url: string }>('GET', '/api/board')).body.websocket_url;
    const sv = await Stream.open(viewerUrl);

    // During the freeze: p3's solve (second blood) is live only for p3 (without blood or bonus) and the admin.
    expect((await p3.submit(1, 'flag{a}')).body).toEqual({ result: 'correct', points: 100, total: 100 });
    expect((await p3.request('GET', '/api/me')).body).toMatchObject({ score: 100 });
    const adminSees = (await sa.waitFor((m) => Array.isArray(m) && m.some((e) => e.displayname === 'Name p3'))) as Array<Record<string, unknown>>;
    expect(adminSees[0]).toMatchObject({ points: 120, blood: 2 });
    const own = (await s3.waitFor((m) => Array.isArray(m) && m.length > 0)) as Array<Record<string, unknown>>;
    expect(own[0]).toMatchObject({ displayname: 'Name p3', points: 100 });
    expect(own[0]).not.toHaveProperty('blood');
    await settle();
    expect(s2.events()).toEqual([]);
    expect(sv.events()).toEqual([]);

    const board = await new Client(s.url).request<{ standings: Row[] }>('GET', '/api/scoreboard');
    expect(board.body.standings.map((r) => [r.displayname, r.score])).toEqual([['Name p1', 130]]);
    expect((await a.request<{ standings: Row[] }>('GET', '/api/admin/scoreboard')).body.standings).toHaveLength(2);
    const feed = await new Client(s.url).request<{ tasks: string[]; standings: Array<{ team: string; score: number; taskStats: object }> }>('GET', '/api/ctftime');
    expect(feed.body.tasks).toEqual(['Alpha', 'Bravo']);
    expect(feed.body.standings.map((r) => r.team)).toEqual(['Name p1']);
    expect(feed.body.standings[0]?.taskStats).toHaveProperty('Alpha');

    // A resume across the freeze leaks nothing; a fresh snapshot is the frozen board.
    const resumed = await Stream.open(`${p2.websocketUrl}&since=${beforeFreeze}`);
    const clock = await resumed.waitFor(isClock());
    expect(resumed.messages[0]).toEqual([]);
    expect(clock).toMatchObject({ frozen: true });
    const fresh = (await (await Stream.open(p2.websocketUrl as string)).waitFor(isSnapshot)) as { standings: Row[] };
    expect(fresh.standings.map((r) => r.displayname)).toEqual(['Name p1']);
    const ownResume = await Stream.open(`${p3.websocketUrl}&since=${beforeFreeze}`);
    await ownResume.waitFor(isClock());
    expect(ownResume.messages[0]).toMatchObject([{ displayname: 'Name p3', points: 100 }]);

    // Reveal: every socket gets a fresh snapshot with the whole board and the bonus.
    const sockets = [s2, s3, sa, sv];
    const marks = sockets.map((st) => st.messages.length);
    expect((await a.request('POST', '/api/admin/event/reveal')).body).toMatchObject({ frozen: false });
    for (const [i, st] of sockets.entries()) {
      const snap = (await st.waitFor((m) => isSnapshot(m) && st.messages.indexOf(m) >= (marks[i] as number))) as { standings: Row[] };
      expect(snap.standings.map((r) => [r.displayname, r.score])).toEqual([
        ['Name p1', 130],
        ['Name p3', 120],
      ]);
    }
    expect((await p3.request('GET', '/api/me')).body).toMatchObject({ score: 120 });
    const stale = await Stream.open(`${p2.websocketUrl}&since=${beforeFreeze}`);
    expect(isSnapshot(await stale.waitFor(() => true))).toBe(true);
    for (const st of [s2, s3, sa, sv, resumed, ownResume, stale]) st.close();
  });

  it('keeps the board private without public_scoreboard, except for the feed key', async () => {
    const s = await startServer({ gameDir: eventGame(null), env: { CTFG_FEED_KEY: 'feed-key-0123456789' } });
    servers.push(s);
    const anon = new Client(s.url);
    expect(await anon.request('GET', '/api/scoreboard')).toMatchObject({ status: 401 });
    expect(await anon.request('GET', '/api/board')).toMatchObject({ status: 401 });
    expect(await anon.request('GET', '/api/ctftime')).toMatchObject({ status: 401 });
    expect(await anon.request('GET', '/api/ctftime?key=wrong')).toMatchObject({ status: 401 });
    expect(await anon.request('GET', '/api/ctftime?key=feed-key-0123456789')).toMatchObject({ status: 200 });
    expect(await anon.request('GET', '/api/ctftime', undefined, { authorization: `Bearer ${TEST_TOKENS.admin}` })).toMatchObject({ status: 200 });
    const p1 = await player(s.url, 'p1');
    expect(await p1.request('GET', '/api/board')).toMatchObject({ status: 200 });
    const metrics = await anon.request('GET', '/metrics');
    expect(String(metrics.body)).toContain('ctfg_open_viewer_sockets');
  });
});
