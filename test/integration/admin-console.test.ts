/**
 * What the console at /admin needs from the server (SPEC §8): the app at /admin and every deep link
 * under it, with the usual CSP, and GET /api/admin/challenges (solves, first solvers, hidden).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { startServer, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { admin, eventGame, player } from './event-helpers.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ gameDir: eventGame(null) });
});
afterAll(async () => {
  await s?.stop();
});

describe('the console at /admin', () => {
  it('is served at /admin and every page under it, with the CSP', async () => {
    for (const path of ['/admin', '/admin/players', '/admin/submissions/']) {
      const res = await fetch(s.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      await res.text();
    }
    // The reset form action is unchanged: a GET there is the app, the POST still resets.
    const post = await fetch(`${s.url}/admin/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'wrong' }) });
    expect(post.status).toBe(401);
  });

  it('lists challenges with solves and first solvers, for admins only', async () => {
    const p1 = await player(s.url, 'p1');
    const p2 = await player(s.url, 'p2');
    expect((await p2.submit(1, 'flag{a}')).body).toMatchObject({ result: 'correct' });
    expect((await p1.submit(1, 'flag{a}')).body).toMatchObject({ result: 'correct' });
    await p1.submit(2, 'flag{wrong}');

    expect((await new Client(s.url).request('GET', '/api/admin/challenges')).status).toBe(401);
    expect((await p1.request('GET', '/api/admin/challenges')).status).toBe(401);
    const a = await admin(s.url);
    const res = await a.request<{ challenges: unknown[] }>('GET', '/api/admin/challenges');
    expect(res.status).toBe(200);
    expect(res.body.challenges).toEqual([
      { id: 1, title: 'Alpha', category: 'web', difficulty: 'easy', points: 100, hidden: false, solves: 2, first_solvers: ['Name p2', 'Name p1'] },
      { id: 2, title: 'Bravo', category: 'web', difficulty: 'easy', points: 200, hidden: false, solves: 0, first_solvers: [] },
    ]);
    const bearer = await new Client(s.url).request('GET', '/api/admin/challenges', undefined, { authorization: `Bearer ${TEST_TOKENS.admin}` });
    expect(bearer.status).toBe(200);
    // The flag never leaves the server, not even to admins.
    expect(JSON.stringify(bearer.body)).not.toContain('flag');

    // Counted as the boards count: a banned player's solve leaves; a hidden challenge says so.
    expect((await a.request('POST', '/api/admin/players/ban', { username: 'p2', reason: 'sharing' })).status).toBe(200);
    expect((await a.request('POST', '/api/admin/challenges/visibility', { id: 2, hidden: true })).status).toBe(200);
    const after = await a.request<{ challenges: unknown[] }>('GET', '/api/admin/challenges');
    expect(after.body.challenges).toMatchObject([
      { id: 1, solves: 1, first_solvers: ['Name p1'], hidden: false },
      { id: 2, solves: 0, hidden: true },
    ]);
  });
});
