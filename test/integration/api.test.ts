import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Stream, refusedUpgrade } from '../helpers/client.js';
import { TEST_TOKENS, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const player = (_n: number): Client => new Client(server.url);
async function entered(n: number, name = `Player ${n}`): Promise<Client> {
  const c = player(n);
  await c.enter(`player${n}`, `password${n}`, name);
  return c;
}

describe('login, me, logout', () => {
  it('refuses bad credentials with 401 invalid_credentials', async () => {
    const c = player(1);
    expect((await c.login('player1', 'nope')).status).toBe(401);
    expect((await c.login('player1', 'nope')).body).toEqual({ error: 'invalid_credentials' });
    expect((await c.login('nobody', 'x')).body).toEqual({ error: 'invalid_credentials' });
  });

  it('logs in with a fresh HttpOnly SameSite=Lax cookie and a scorestream URL', async () => {
    const c = player(2);
    const r = await c.login('player2', 'password2');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayname: null, needs_name: true });
    expect(String(r.body.websocket_url)).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/scorestream\?token=[\w.-]{20,}$/);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const first = c.cookie;
    await c.login('player2', 'password2');
    expect(c.cookie).not.toBe(first); // rotated at login
  });

  it('answers /api/me and logs out with 204, after which the session is dead', async () => {
    const c = await entered(3, 'Three');
    const me = await c.request('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'player3', displayname: 'Three', needs_name: false });
    const cookie = c.cookie;
    expect((await c.request('POST', '/api/logout')).status).toBe(204);
    c.cookie = cookie;
    expect((await c.request('GET', '/api/me')).status).toBe(401);
    expect((await c.request('POST', '/api/logout')).body).toEqual({ error: 'unauthorized' });
  });

  it('answers 401 unauthorized without a session on every player endpoint', async () => {
    const c = player(0);
    for (const [method, path] of [
      ['GET', '/api/me'],
      ['GET', '/api/challenges'],
      ['GET', '/api/scoreboard'],
      ['POST', '/api/submit'],
      ['POST', '/api/hint'],
      ['POST', '/api/set-name'],
      ['POST', '/api/logout'],
    ] as const) {
      const r = await c.request(method, path, method === 'POST' ? { id: 1, flag: 'x', hint_id: 1, name: 'abc' } : undefined);
      expect([path, r.status, r.body]).toEqual([path, 401, { error: 'unauthorized' }]);
    }
  });
});

describe('set-name', () => {
  it('validates, says which rule failed, and enforces case-insensitive uniqueness', async () => {
    const c = player(4);
    await c.login('player4', 'password4');
    expect((await c.request('POST', '/api/set-name', { name: 'x' })).body).toEqual({ error: 'Display name must be at least 2 characters' });
    expect((await c.request('POST', '/api/set-name', { name: 'the admin' })).status).toBe(400);
    expect((await c.request('POST', '/api/set-name', { name: '  Fourth   Player ' })).body).toEqual({ result: 'ok' });
    expect((await c.request('GET', '/api/me')).body).toMatchObject({ displayname: 'Fourth Player', needs_name: false });
    const other = player(5);
    await other.login('player5', 'password5');
    const taken = await other.request('POST', '/api/set-name', { name: 'FOURTH player' });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ error: 'name_taken' });
    expect((await other.request('POST', '/api/set-name', {})).status).toBe(400);
  });
});

describe('challenges, submit, hints', () => {
  it('lists only visible challenges, never the flag', async () => {
    const c = await entered(6);
    const r = await c.request<Array<Record<string, unknown>>>('GET', '/api/challenges');
    expect(r.status).toBe(200);
    const ids = r.body.map((ch) => ch.id);
    expect(ids).toEqual([1, 2, 6]); // the ones without requirements
    for (const ch of r.body) {
      expect(Object.keys(ch).sort()).toEqual(['category', 'content', 'description', 'difficulty', 'first_solvers', 'hints', 'id', 'points', 'solved', 'solves', 'title']);
      expect(JSON.stringify(ch)).not.toMatch(/testflag|"flag"/);
    }
    expect((r.body[1]?.hints as unknown[])[0]).toEqual({ id: 1, cost: 10 });
  });

  it('judges flags, unlocks requirements and records a solve once', async () => {
    const c = await entered(7);
    expect((await c.submit(3, '10')).status).toBe(403);
    expect((await c.submit(3, '10')).body).toEqual({ error: 'locked' });
    expect((await c.submit(99, 'x')).body).toEqual({ error: 'unknown_id' });
    expect((await c.submit(1, '27')).body).toEqual({ result: 'incorrect' });
    expect((await c.submit(1, '  26\n')).body).toEqual({ result: 'correct', points: 100, total: 100 });
    expect((await c.submit(1, '26')).body).toEqual({ result: 'already_solved', total: 100 });
    expect((await c.submit('3' as unknown as number, '10')).body).toEqual({ result: 'correct', points: 150, total: 250 });
    const list = await c.request<Array<Record<string, unknown>>>('GET', '/api/challenges');
    expect(list.body.map((ch) => ch.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(list.body.find((ch) => ch.id === 1)?.solved).toBe(true);
  });

  it('sells hints in order, atomically, only when affordable', async () => {
    const c = await entered(8);
    expect((await c.hint(2, 2)).body).toEqual({ error: 'locked' });
    expect((await c.hint(2, 1)).status).toBe(402);
    expect((await c.hint(2, 1)).body).toEqual({ error: 'insufficient_points' });
    expect((await c.hint(1, 1)).body).toEqual({ result: 'ok' }); // free
    expect((await c.hint(1, 1)).body).toEqual({ error: 'already_purchased' });
    expect((await c.hint(3, 1)).body).toEqual({ error: 'locked' }); // challenge locked
    expect((await c.hint(77, 1)).body).toEqual({ error: 'unknown_challenge' });
    expect((await c.hint(1, 9)).body).toEqual({ error: 'unknown_hint' });
    expect((await c.request('POST', '/api/hint', { id: 1 })).body).toEqual({ error: 'missing_parameters' });
    await c.submit(1, '26');
    expect((await c.hint(2, 1)).body).toEqual({ result: 'ok' });
    const list = await c.request<Array<{ id: number; hints: Array<{ id: number; text?: string }> }>>('GET', '/api/challenges');
    const ch2 = list.body.find((ch) => ch.id === 2);
    expect(ch2?.hints[0]?.text).toContain('BEDMAS');
    expect(ch2?.hints[1]?.text).toBeUndefined();
    const sb = await c.request<{ standings: Array<Record<string, unknown>> }>('GET', '/api/scoreboard');
    expect(sb.body.standings.find((r) => r.displayname === 'Player 8')).toMatchObject({ score: 90, solves: 1 });
  });
});

describe('award', () => {
  it('needs the API token and behaves like a correct submit', async () => {
    const c = new Client(server.url);
    expect((await c.request('POST', '/api/award', { username: 'player9', id: 1 })).status).toBe(401);
    expect((await c.request('POST', '/api/award', { username: 'player9', id: 1 }, { authorization: 'wrong' })).body).toEqual({ error: 'unauthorized' });
    const auth = { authorization: `Bearer ${TEST_TOKENS.api}` };
    expect((await c.request('POST', '/api/award', { username: 'ghost', id: 1 }, auth)).body).toEqual({ error: 'unknown_user' });
    expect((await c.request('POST', '/api/award', { username: 'player9', id: 42 }, auth)).body).toEqual({ error: 'unknown_id' });
    // Requirements are not checked: the judge is trusted.
    expect((await c.request('POST', '/api/award', { username: 'player9', id: '15' }, { authorization: TEST_TOKENS.api })).body).toEqual({ result: 'ok' });
    expect((await c.request('POST', '/api/award', { username: 'player9', id: 15 }, auth)).body).toEqual({ result: 'already_solved', total: 400 });
  });
});

describe('scorestream', () => {
  it('refuses upgrades without a valid token before the upgrade', async () => {
    const base = server.url.replace('http', 'ws');
    expect(await refusedUpgrade(`${base}/scorestream`)).toBe(401);
    expect(await refusedUpgrade(`${base}/scorestream?token=forged`)).toBe(401);
  });

  it('sends a snapshot, then live events; resumes with since', async () => {
    const watcher = await entered(10, 'Watcher');
    const stream = await Stream.open(watcher.websocketUrl as string);
    const snap = (await stream.waitFor((m) => !Array.isArray(m) && m.type === 'snapshot')) as Record<string, unknown>;
    expect(typeof snap.last_id).toBe('number');
    expect(Array.isArray(snap.standings)).toBe(true);
    expect(Array.isArray(snap.top)).toBe(true);
    const solver = await entered(11, 'Solver Eleven');
    await solver.submit(1, '26');
    const batch = await stream.waitFor((m) => Array.isArray(m) && m.some((e) => e.displayname === 'Solver Eleven'));
    const ev = (batch as Array<Record<string, unknown>>).find((e) => e.displayname === 'Solver Eleven') as Record<string, unknown>;
    expect(ev).toMatchObject({ type: 'score', challenge_id: 1, challenge: 'Counting the Gulls', points: 100 });
    expect(ev.id).toBeGreaterThan(snap.last_id as number);
    stream.ws.send('ping');
    await solver.hint(2, 1);
    const hintEv = await stream.waitFor((m) => Array.isArray(m) && m.some((e) => e.type === 'hint'));
    expect((hintEv as Array<Record<string, unknown>>)[0]).toMatchObject({ type: 'hint', points: -10, hint_id: 1, challenge_id: 2 });
    stream.close();

    const resumed = await Stream.open(`${watcher.websocketUrl}&since=${ev.id as number}`);
    const missed = await resumed.waitFor(() => true);
    expect(Array.isArray(missed)).toBe(true);
    expect((missed as Array<Record<string, unknown>>).map((e) => e.type)).toEqual(['hint']);
    resumed.close();
  });

  it('closes a socket that sends something unexpected', async () => {
    const c = await entered(12);
    const s = await Stream.open(c.websocketUrl as string);
    s.ws.send('hello there');
    expect(await s.waitClose()).toBe(1008);
  });
});

describe('edges', () => {
  it('answers malformed input with a clear 4xx', async () => {
    const c = await entered(13);
    expect((await c.request('POST', '/api/submit', '{bad json')).status).toBe(400);
    expect((await c.request('POST', '/api/submit', { id: 'abc', flag: 'x' })).status).toBe(400);
    expect((await c.request('POST', '/api/submit', { id: 1, flag: 5 })).status).toBe(400);
    expect((await c.request('POST', '/api/submit', { id: 1, flag: 'x'.repeat(40_000) })).status).toBe(413);
    const r = await c.request('POST', '/api/submit', { id: 1, flag: 'nope', extra: true });
    expect(r.body).toEqual({ result: 'incorrect' });
  });

  it('refuses cross-site state changes', async () => {
    const c = await entered(14);
    const r = await c.request('POST', '/api/submit', { id: 1, flag: '26' }, { origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    const same = await c.request('POST', '/api/submit', { id: 1, flag: '26' }, { origin: server.url });
    expect(same.body).toMatchObject({ result: 'correct' });
  });

  it('serves security headers and 404s outside the asset roots', async () => {
    const c = new Client(server.url);
    const r = await c.request('GET', '/api/config');
    expect(r.body).toEqual({ title: 'ctfg', banner: '/game/banner.png' });
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/game/..%2fcredentials.csv', '/game/credentials.csv']) {
      const res = await fetch(server.url + p);
      expect([p, res.status]).toEqual([p, 404]);
    }
    expect((await fetch(`${server.url}/game/banner.png`)).status).toBe(200);
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('ctfg_http_request_duration_seconds');
  });
});
