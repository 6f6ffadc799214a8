/**
 * Attacks on authentication: scorestream handshakes without a valid token
 * are refused before the upgrade; cross-site and session-less state changes
 * are refused; the session cookie has the right flags and is replaced at
 * login; award and admin endpoints refuse missing and wrong tokens and
 * compare them in constant time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { secretEquals } from '../../src/auth/secrets.js';
import { Client, Stream, refusedUpgrade } from '../helpers/client.js';
import { REPO_ROOT, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { Fleet, cookieValue, streamToken } from './helpers/fleet.js';
import { rawRequest } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('auth-attacks', figures);
  await fleet.finish('auth-attacks');
});

function player(server: TestServer, n: number): Promise<Client> {
  return fleet.login(server.url, n);
}

const withToken = (url: string, token: string): string => {
  const u = new URL(url);
  u.searchParams.set('token', token);
  return u.toString();
};

/** Asks for an upgrade over a raw socket; the answer must be a plain HTTP status, never 101. */
async function rawUpgradeStatus(server: TestServer, pathAndQuery: string): Promise<number> {
  const res = await rawRequest(server.port, {
    path: pathAndQuery,
    headers: { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' },
  });
  return res.status;
}

describe('scorestream tokens', () => {
  it('refuses no token, wrong, forged, expired, logged-out and reset tokens with 401 before the upgrade', async () => {
    const server = await fleet.start({ env: { CTFG_STREAM_TOKEN_TTL: '2' } });
    const a = await player(server, 1);
    const url = a.websocketUrl as string;
    const token = streamToken(url);
    const results: Record<string, number> = {};
    // A valid token works.
    const ok = await Stream.open(url);
    await ok.waitFor((m) => !Array.isArray(m));
    ok.close();

    results.noToken = await rawUpgradeStatus(server, '/scorestream');
    results.emptyToken = await rawUpgradeStatus(server, '/scorestream?token=');
    results.wrongToken = await refusedUpgrade(withToken(url, 'not-a-token'));
    results.randomToken = await refusedUpgrade(withToken(url, Buffer.from(crypto.getRandomValues(new Uint8Array(48))).toString('base64url')));
    // Same shape, one character of the signature changed (not the last one: its low bits are base64 padding).
    const at = token.length - 10;
    const flipped = token.slice(0, at) + (token[at] === 'A' ? 'Q' : 'A') + token.slice(at + 1);
    results.tamperedSignature = await refusedUpgrade(withToken(url, flipped));
    // Someone else's claims with this token's signature.
    const [body, sig] = token.split('.');
    const claims = Buffer.from(body ?? '', 'base64url').toString();
    const forgedClaims = claims.replace(/^\d+/, (id) => String(Number(id) + 1));
    results.forgedClaims = await refusedUpgrade(withToken(url, `${Buffer.from(forgedClaims).toString('base64url')}.${sig ?? ''}`));
    results.hugeToken = await refusedUpgrade(withToken(url, 'x'.repeat(5000)));
    results.tokenInWrongParam = await rawUpgradeStatus(server, `/scorestream?tok=${token}`);

    // Expired: the TTL is 2 s here.
    const b = await player(server, 2);
    await new Promise((r) => setTimeout(r, 2600));
    results.expired = await refusedUpgrade(b.websocketUrl as string);
    const fresh = await b.request<{ websocket_url: string }>('GET', '/api/me');
    fleet.secret('stream-token', streamToken(fresh.body.websocket_url));
    const reopened = await Stream.open(fresh.body.websocket_url);
    reopened.close();

    // After logout: the open socket closes (4001) and the token is dead.
    const c = await player(server, 3);
    const open = await Stream.open(c.websocketUrl as string);
    await open.waitFor((m) => !Array.isArray(m));
    expect((await c.request('POST', '/api/logout')).status).toBe(204);
    results.openSocketAtLogoutClosedWith = await open.waitClose(3000);
    results.afterLogout = await refusedUpgrade(c.websocketUrl as string);

    // After an admin reset: every token is dead.
    const d = await player(server, 4);
    const reset = await fetch(`${server.url}/admin/reset?confirm=yes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_TOKENS.admin }),
    });
    expect(reset.status).toBe(200);
    results.afterReset = await refusedUpgrade(d.websocketUrl as string);

    figures.scorestream = results;
    for (const [k, v] of Object.entries(results)) {
      if (k === 'openSocketAtLogoutClosedWith') expect(v).toBe(4001);
      else expect(v, k).toBe(401);
    }
  });
});

describe('cross-site requests and sessions', () => {
  it('refuses state changes from a foreign origin or without a session', async () => {
    const server = await fleet.start();
    const a = await player(server, 1);
    const results: Record<string, number> = {};
    const foreign = { origin: 'https://evil.example' };
    results.submitForeignOrigin = (await a.request('POST', '/api/submit', { id: 1, flag: '26' }, foreign)).status;
    results.submitNullOrigin = (await a.request('POST', '/api/submit', { id: 1, flag: '26' }, { origin: 'null' })).status;
    results.submitSimilarOrigin = (await a.request('POST', '/api/submit', { id: 1, flag: '26' }, { origin: `http://127.0.0.1:${server.port}.evil.example` })).status;
    results.submitOtherPort = (await a.request('POST', '/api/submit', { id: 1, flag: '26' }, { origin: `http://127.0.0.1:${server.port + 1}` })).status;
    results.submitSecFetchCrossSite = (await a.request('POST', '/api/submit', { id: 1, flag: '26' }, { 'sec-fetch-site': 'cross-site' })).status;
    results.hintForeignOrigin = (await a.request('POST', '/api/hint', { id: 1, hint_id: 1 }, foreign)).status;
    results.setNameForeignOrigin = (await a.request('POST', '/api/set-name', { name: 'Evil Twin' }, foreign)).status;
    results.logoutForeignOrigin = (await a.request('POST', '/api/logout', undefined, foreign)).status;
    results.loginForeignOrigin = (await new Client(server.url).request('POST', '/api/login', { username: 'player2', password: 'password2' }, foreign)).status;
    results.resetForeignOrigin = (
      await fetch(`${server.url}/admin/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...foreign },
        body: `token=${TEST_TOKENS.admin}&confirm=yes`,
      })
    ).status;
    // A form post from another site (text/plain, the classic CSRF shape).
    results.submitTextPlainForeign = (await a.request('POST', '/api/submit', '{"id":1,"flag":"26"}', { 'content-type': 'text/plain', ...foreign })).status;
    // Nothing happened: the player still has not solved 1 and kept its session.
    const list = await a.request<Array<{ id: number; solved: boolean }>>('GET', '/api/challenges');
    expect(list.status).toBe(200);
    expect(list.body.find((c) => c.id === 1)?.solved).toBe(false);
    // Same origin passes.
    results.submitSameOrigin = (await a.request('POST', '/api/submit', { id: 1, flag: '26' }, { origin: server.url })).status;

    // No session at all.
    const anon = new Client(server.url);
    results.submitNoSession = (await anon.request('POST', '/api/submit', { id: 1, flag: '26' })).status;
    results.hintNoSession = (await anon.request('POST', '/api/hint', { id: 1, hint_id: 1 })).status;
    results.setNameNoSession = (await anon.request('POST', '/api/set-name', { name: 'Nobody' })).status;
    results.logoutNoSession = (await anon.request('POST', '/api/logout')).status;
    results.meNoSession = (await anon.request('GET', '/api/me')).status;
    results.garbageCookie = (await anon.request('GET', '/api/me', undefined, { cookie: 'ctfg_session=garbage' })).status;
    results.hugeCookie = (await anon.request('GET', '/api/me', undefined, { cookie: `ctfg_session=${'a'.repeat(4000)}` })).status;

    figures.crossSite = results;
    for (const [k, v] of Object.entries(results)) {
      if (k === 'submitSameOrigin') expect(v).toBe(200);
      else if (k.endsWith('NoSession') || k.endsWith('Cookie')) expect(v, k).toBe(401);
      else expect(v, k).toBe(403);
    }
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, Secure only over https, and replaces it at every login', async () => {
    const server = await fleet.start({ env: { CTFG_TRUST_PROXY: '1' } });
    const login = (headers: Record<string, string> = {}): Promise<Response> =>
      fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ username: 'player1', password: 'password1' }),
      });
    const plain = await login();
    const cookie = plain.headers.get('set-cookie') ?? '';
    const attrs = cookie.split(';').map((s) => s.trim().toLowerCase());
    fleet.secret('session-cookie', cookieValue(cookie.split(';')[0] ?? ''));
    expect(attrs[0]).toMatch(/^ctfg_session=[a-z0-9_-]{32,}$/);
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=lax');
    expect(attrs).toContain('path=/');
    expect(attrs).not.toContain('secure');
    expect(attrs.some((a) => a.startsWith('max-age='))).toBe(true);
    const https = await login({ 'x-forwarded-proto': 'https' });
    const httpsCookie = https.headers.get('set-cookie') ?? '';
    fleet.secret('session-cookie', cookieValue(httpsCookie.split(';')[0] ?? ''));
    expect(httpsCookie.split(';').map((s) => s.trim().toLowerCase())).toContain('secure');

    // Fixation: a cookie planted before login is never the session afterwards.
    const planted = 'ctfg_session=attacker-chosen-value-0123456789abcdef';
    const victim = new Client(server.url);
    victim.cookie = planted;
    await victim.login('player2', 'password2');
    fleet.secret('session-cookie', cookieValue(victim.cookie ?? ''));
    expect(victim.cookie).not.toBe(planted);
    expect((await victim.request('GET', '/api/me')).status).toBe(200);
    const replay = new Client(server.url);
    replay.cookie = planted;
    expect((await replay.request('GET', '/api/me')).status).toBe(401);

    // Rotation: logging in again with a live session yields a new cookie, and the old one stops working.
    const before = victim.cookie as string;
    await victim.login('player2', 'password2');
    fleet.secret('session-cookie', cookieValue(victim.cookie ?? ''));
    expect(victim.cookie).not.toBe(before);
    const old = new Client(server.url);
    old.cookie = before;
    const oldAfterLogin = (await old.request('GET', '/api/me')).status;
    // Logout kills the session on the server, not just in the browser.
    const current = victim.cookie as string;
    expect((await victim.request('POST', '/api/logout')).status).toBe(204);
    const stolen = new Client(server.url);
    stolen.cookie = current;
    const afterLogout = (await stolen.request('GET', '/api/me')).status;
    figures.cookies = { setCookie: cookie.replace(/=[^;]+/, '=<value>'), httpsSetCookie: httpsCookie.replace(/=[^;]+/, '=<value>'), oldCookieAfterRelogin: oldAfterLogin, cookieAfterLogout: afterLogout };
    expect(oldAfterLogin).toBe(401);
    expect(afterLogout).toBe(401);
  });
});

describe('award and admin tokens', () => {
  it('refuses missing and wrong tokens with 401 and compares them in constant time', async () => {
    const server = await fleet.start({ env: { CTFG_RATE_TOKEN_FAILURES: '1000,0.01' } });
    const award = (authorization?: string): Promise<Response> =>
      fetch(`${server.url}/api/award`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
        body: JSON.stringify({ username: 'player1', id: 1 }),
      });
    const reset = (body: string, type = 'application/x-www-form-urlencoded', query = ''): Promise<Response> =>
      fetch(`${server.url}/admin/reset${query}`, { method: 'POST', headers: { 'content-type': type }, body });
    const api = TEST_TOKENS.api;
    const results: Record<string, number> = {
      awardMissing: (await award()).status,
      awardEmpty: (await award('')).status,
      awardBearerEmpty: (await award('Bearer ')).status,
      awardWrong: (await award('wrong')).status,
      awardPrefix: (await award(api.slice(0, -1))).status,
      awardLonger: (await award(`${api}x`)).status,
      awardCase: (await award(api.toUpperCase())).status,
      awardAdminToken: (await award(TEST_TOKENS.admin)).status,
      awardBasic: (await award(`Basic ${Buffer.from(`x:${api}`).toString('base64')}`)).status,
      resetMissing: (await reset('confirm=yes')).status,
      resetWrong: (await reset('token=wrong&confirm=yes')).status,
      resetPrefix: (await reset(`token=${TEST_TOKENS.admin.slice(0, -1)}&confirm=yes`)).status,
      resetApiToken: (await reset(`token=${api}&confirm=yes`)).status,
      resetJsonWrong: (await reset(JSON.stringify({ token: 'wrong' }), 'application/json', '?confirm=yes')).status,
      resetJsonNotString: (await reset(JSON.stringify({ token: [TEST_TOKENS.admin] }), 'application/json', '?confirm=yes')).status,
    };
    for (const [k, v] of Object.entries(results)) expect(v, k).toBe(401);
    expect((await award(api)).status).toBe(200);
    expect((await award(`Bearer ${api}`)).status).toBe(200);

    // Unconfigured: award always 401, reset 403 "not configured".
    const bare = await fleet.start({ env: { CTFG_API_TOKEN: '', CTFG_ADMIN_TOKEN: '' } });
    const bareAward = await fetch(`${bare.url}/api/award`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: '' }, body: '{"username":"player1","id":1}' });
    const bareReset = await fetch(`${bare.url}/admin/reset`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=&confirm=yes' });
    expect(bareAward.status).toBe(401);
    expect(bareReset.status).toBe(403);
    expect(await bareReset.text()).toMatch(/not configured/i);

    // Constant time, by construction: every route that takes a token judges it
    // through judgeToken (src/http/auth/tokens.ts) — checkToken for the API
    // token, judgeAdminToken for admin tokens (src/auth/admins.ts) — and every
    // plain comparison goes through secretEquals (src/auth/secrets.ts): both
    // sides hashed to equal length, crypto.timingSafeEqual. Checked here in
    // code, not by flaky timing.
    const source = (f: string): string => fs.readFileSync(path.join(REPO_ROOT, f), 'utf8');
    expect(source('src/auth/secrets.ts')).toMatch(/timingSafeEqual\(/);
    expect(source('src/http/auth/tokens.ts')).toMatch(/secretEquals\(presented, expected\)/);
    expect(source('src/auth/admins.ts')).toMatch(/secretEquals\(presented, this\.envToken\)/);
    expect(source('src/auth/admins.ts')).toMatch(/secretEquals\(presented, token\)/);
    expect(source('src/http/award/routes.ts')).toMatch(/checkToken\(ctx, req, presented, \[ctx\.settings\.apiToken\]\)/);
    expect(source('src/http/admin/routes.ts')).toMatch(/judgeAdminToken\(ctx, req, input\.token\)/);
    expect(source('src/http/admin/admin-auth.ts')).toMatch(/judgeAdminToken\(ctx, req, presented\)/);
    expect(source('src/http/ops/routes.ts')).toMatch(/judgeAdminToken\(ctx, req, bearerToken\(req\.headers\.authorization\)\)/);
    expect(secretEquals(api, api)).toBe(true);
    expect(secretEquals(api.slice(0, -1), api)).toBe(false);
    expect(secretEquals('', api)).toBe(false);

    // A coarse timing sanity check, recorded and not asserted: wrong tokens that
    // share no prefix and all but the last character take about as long.
    const median = async (token: string): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const t = process.hrtime.bigint();
        await award(token);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      return times.sort((x, y) => x - y)[30] as number;
    };
    const noPrefixMs = await median('z'.repeat(api.length));
    const longPrefixMs = await median(`${api.slice(0, -1)}z`);
    figures.tokens = { refusals: results, unconfiguredAward: bareAward.status, unconfiguredReset: bareReset.status, timingMedianMs: { noPrefix: noPrefixMs, allButLastChar: longPrefixMs } };
  });
});
