import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream, refusedUpgrade } from '../helpers/client.js';
import { TEST_TOKENS, startServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function server(env: Record<string, string> = {}): Promise<TestServer> {
  const s = await startServer({ env });
  servers.push(s);
  return s;
}

async function postReset(base: string, body: string, contentType: string, query = ''): Promise<Response> {
  return fetch(`${base}/admin/reset${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('admin reset', () => {
  it('serves the reset page and refuses bad tokens', async () => {
    const s = await server();
    const page = await fetch(`${s.url}/reset`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="token"');
    expect((await postReset(s.url, 'token=wrong&confirm=yes', 'application/x-www-form-urlencoded')).status).toBe(401);
    const json = await postReset(s.url, JSON.stringify({ token: 'wrong' }), 'application/json', '?confirm=yes');
    expect(json.status).toBe(401);
    expect(await json.json()).toEqual({ error: 'unauthorized' });
    expect((await postReset(s.url, `token=${TEST_TOKENS.admin}`, 'application/x-www-form-urlencoded')).status).toBe(400);
  });

  it('answers 403 when no admin token is configured', async () => {
    const s = await server({ CTFG_ADMIN_TOKEN: '' });
    const r = await postReset(s.url, 'token=x&confirm=yes', 'application/x-www-form-urlencoded');
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('not configured');
  });

  it('clears events and names, logs everyone out and tells every socket', async () => {
    const s = await server();
    const a = new Client(s.url);
    await a.enter('player1', 'password1', 'Before Reset');
    await a.submit(1, '26');
    const stream = await Stream.open(a.websocketUrl as string);
    await stream.waitFor((m) => !Array.isArray(m));
    const oldUrl = a.websocketUrl as string;

    const r = await postReset(s.url, `token=${TEST_TOKENS.admin}&confirm=yes`, 'application/x-www-form-urlencoded');
    expect(r.status).toBe(200);
    expect(await r.text()).toMatch(/1 solve and hint events/);
    const msg = (await stream.waitFor((m) => !Array.isArray(m) && m.type === 'system')) as Record<string, unknown>;
    expect(msg).toMatchObject({ type: 'system', event: 'reset', logout: true });
    expect(typeof msg.ts).toBe('number');
    await stream.waitClose(1500);

    expect((await a.request('GET', '/api/me')).status).toBe(401);
    expect(await refusedUpgrade(oldUrl)).toBe(401);
    const again = new Client(s.url);
    const login = await again.login('player1', 'password1');
    expect(login.body).toMatchObject({ displayname: null, needs_name: true });
    expect((await again.request('POST', '/api/set-name', { name: 'Before Reset' })).status).toBe(200);
    const list = await again.request<Array<{ id: number; solved: boolean }>>('GET', '/api/challenges');
    expect(list.body.every((c) => !c.solved)).toBe(true);
    expect((await again.request('GET', '/api/scoreboard')).body).toEqual({ standings: [] });
    expect((await again.submit(1, '26')).body).toMatchObject({ result: 'correct', total: 100 });
  });
});

describe('rate limits', () => {
  it('limits wrong flags only, with Retry-After, and never a player who sends correct flags', async () => {
    const s = await server({ CTFG_RATE_SUBMIT: '3,60' });
    const c = new Client(s.url);
    await c.enter('player1', 'password1', 'Guesser');
    for (let i = 0; i < 3; i++) expect((await c.submit(1, 'wrong')).body).toEqual({ result: 'incorrect' });
    const limited = await c.submit(1, '26');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: 'rate_limit_exceeded' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    const fast = new Client(s.url);
    await fast.enter('player2', 'password2', 'Speedy');
    for (const [id, flag] of [[1, '26'], [2, '32'], [6, '75'], [3, '10'], [4, '2'], [5, '4'], [7, '150']] as const) {
      expect((await fast.submit(id, flag)).body).toMatchObject({ result: 'correct' });
    }
  });

  it('limits failed logins per username but lets a classroom behind one address in', async () => {
    const s = await server({ CTFG_RATE_LOGIN_USER: '3,60' });
    const c = new Client(s.url);
    for (let i = 0; i < 3; i++) expect((await c.login('player1', 'bad')).status).toBe(401);
    const blocked = await c.login('player1', 'password1');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).not.toBeNull();
    const logins = await Promise.all(Array.from({ length: 200 }, (_, i) => new Client(s.url).login(`player${i + 2}`, `password${i + 2}`)));
    expect(logins.filter((r) => r.status === 200)).toHaveLength(200);
  });

  it('lets 200 correct logins at once through an address bucket of 20: held tokens wait, they do not refuse', async () => {
    const s = await server({ CTFG_RATE_LOGIN_ADDRESS: '20,60' });
    const logins = await Promise.all(Array.from({ length: 200 }, (_, i) => new Client(s.url).login(`player${i + 1}`, `password${i + 1}`)));
    expect(logins.filter((r) => r.status === 200)).toHaveLength(200);
    // Failures still spend: 20 wrong passwords empty the bucket for everyone behind the address.
    await Promise.all(Array.from({ length: 20 }, (_, i) => new Client(s.url).login(`player${i + 1}`, 'bad')));
    expect((await new Client(s.url).login('player300', 'password300')).status).toBe(429);
  });

  it('limits set-name, hint and award', async () => {
    const s = await server({ CTFG_RATE_SET_NAME: '2,60', CTFG_RATE_HINT: '2,60', CTFG_RATE_AWARD: '2,60' });
    const c = new Client(s.url);
    await c.login('player1', 'password1');
    await c.request('POST', '/api/set-name', { name: 'One' });
    await c.request('POST', '/api/set-name', { name: 'Two' });
    expect((await c.request('POST', '/api/set-name', { name: 'Three' })).status).toBe(429);
    await c.hint(1, 1);
    await c.hint(1, 2);
    expect((await c.hint(2, 1)).status).toBe(429);
    const judge = new Client(s.url);
    const auth = { authorization: TEST_TOKENS.api };
    await judge.request('POST', '/api/award', { username: 'player3', id: 1 }, auth);
    await judge.request('POST', '/api/award', { username: 'player3', id: 2 }, auth);
    expect((await judge.request('POST', '/api/award', { username: 'player3', id: 6 }, auth)).status).toBe(429);
  });
});
