import { afterAll, describe, expect, it } from 'vitest';
import { Stream, type Message } from '../helpers/client.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin, eventGame, isClock, player } from './event-helpers.js';

/** Dynamic scoring over HTTP and the scorestream (SPEC §9), on SQLite and, when its services are up, on PostgreSQL + Redis. */
const BACKENDS: Array<'sqlite' | 'postgres'> = process.env.CTFG_TEST_POSTGRES_URL && process.env.CTFG_TEST_REDIS_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** 300 points, 100 fewer per further solve, never below 100; a 250-point hint. */
const DYNAMIC = {
  id: 3,
  title: 'Charlie',
  category: 'crypto',
  difficulty: 'hard',
  points: 300,
  description: 'c',
  flag: '^flag\\{c\\}$',
  testflag: 'flag{c}',
  decay: { function: 'linear', minimum: 100, decay: 100 },
  hints: [{ id: 1, text: 'dear', cost: 250 }],
};

type Row = { pos: number; displayname: string; score: number; solves: number; last_ts: number };
type Item = { id: number; points: number; solves: number; first_solvers: Array<{ name: string; ts: number }> };
const isBoard = (m: Message): m is { type: 'board'; last_id: number; rows: Row[] } & Record<string, unknown> => !Array.isArray(m) && m.type === 'board';
const isSnapshot = (m: Message): boolean => !Array.isArray(m) && m.type === 'snapshot';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe.each(BACKENDS)('dynamic scoring on %s', (backend) => {
  it('reprices every solver, pushes one board patch after the events, and shows solves and first solvers', async () => {
    const s = await startServer({ gameDir: eventGame(null, [DYNAMIC]), backend, dbDir: tempDir('ctfg-dyn-') });
    servers.push(s);
    const [p1, p2, p3] = [await player(s.url, 'p1'), await player(s.url, 'p2'), await player(s.url, 'p3')];
    const watch = await Stream.open(p3.websocketUrl as string);
    const snap = (await watch.waitFor(isSnapshot)) as { last_id: number };

    expect((await p1.submit(3, 'flag{c}')).body).toEqual({ result: 'correct', points: 300, total: 300 });
    expect((await p2.submit(3, 'flag{c}')).body).toEqual({ result: 'correct', points: 200, total: 200 });
    const patch = await watch.waitFor((m) => isBoard(m) && m.rows.some((r) => r.score === 200));
    // The patch comes after the events it follows, and carries only the repriced row.
    const at = watch.messages.indexOf(patch);
    expect(watch.messages.slice(0, at).flatMap((m) => (Array.isArray(m) ? m.map((e) => e.displayname) : []))).toEqual(['Name p1', 'Name p2']);
    expect(patch).toMatchObject({ rows: [{ pos: 1, displayname: 'Name p1', score: 200, solves: 1 }] });

    const board = await p3.request<{ standings: Row[] }>('GET', '/api/scoreboard');
    expect(board.body.standings.map((r) => [r.pos, r.displayname, r.score])).toEqual([
      [1, 'Name p1', 200],
      [2, 'Name p2', 200],
    ]);
    const items = (await p3.request<Item[]>('GET', '/api/challenges')).body;
    const item = items.find((c) => c.id === 3);
    expect(item).toMatchObject({ points: 200, solves: 2 });
    expect(item?.first_solvers.map((f) => f.name)).toEqual(['Name p1', 'Name p2']);
    expect(items.find((c) => c.id === 1)).toMatchObject({ points: 100, solves: 0, first_solvers: [] });

    // A resume from the snapshot: the missed events, then the repriced rows, then the clock.
    const resumed = await Stream.open(`${p3.websocketUrl}&since=${snap.last_id}`);
    await resumed.waitFor(isClock());
    expect(Array.isArray(resumed.messages[0])).toBe(true);
    expect(resumed.messages[1]).toMatchObject({ type: 'board', rows: [{ displayname: 'Name p1', score: 200 }] });
    resumed.close();
    watch.close();
  });

  it('checks a hint against the current value, not the recorded one, and a ban gives the points back', async () => {
    const s = await startServer({ gameDir: eventGame(null, [DYNAMIC]), backend, dbDir: tempDir('ctfg-dyn-') });
    servers.push(s);
    const [p1, p2] = [await player(s.url, 'p1'), await player(s.url, 'p2')];
    await p1.submit(3, 'flag{c}');
    await p2.submit(3, 'flag{c}'); // p1 now holds 200, though 300 were recorded
    const refused = await p1.hint(3, 1);
    expect(refused.status).toBe(402);
    expect(refused.body).toEqual({ error: 'insufficient_points' });

    const a = await admin(s.url);
    expect((await a.request('POST', '/api/admin/players/ban', { username: 'p2', reason: 'shared flags' })).status).toBe(200);
    const board = await p1.request<{ standings: Row[] }>('GET', '/api/scoreboard');
    expect(board.body.standings.map((r) => [r.displayname, r.score])).toEqual([['Name p1', 300]]);
    expect((await p1.hint(3, 1)).body).toEqual({ result: 'ok' });
    expect((await p1.request('GET', '/api/me')).body).toMatchObject({ score: 50 });
  });
});
