import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreboardPageResponse, ScoreboardResponse } from '../../src/protocol/api.js';
import { Client } from '../helpers/client.js';
import { TEST_TOKENS, startServer, type TestServer } from '../helpers/server.js';

const PLAYERS = 30;
let server: TestServer;
let viewer: Client;

beforeAll(async () => {
  server = await startServer();
  const api = new Client(server.url);
  const auth = { authorization: `Bearer ${TEST_TOKENS.api}` };
  // Players 1…30 solve challenge 1 in turn; every third also solves challenge 2, so scores differ.
  for (let i = 1; i <= PLAYERS; i++) {
    expect((await api.request('POST', '/api/award', { username: `player${i}`, id: 1 }, auth)).status).toBe(200);
    if (i % 3 === 0) expect((await api.request('POST', '/api/award', { username: `player${i}`, id: 2 }, auth)).status).toBe(200);
  }
  viewer = new Client(server.url);
  await viewer.enter('player17', 'password17', 'Seventeen');
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** GET through node:http, which (unlike fetch) shows the bytes on the wire and does not decompress. */
function raw(path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(server.url + path, { headers: { cookie: viewer.cookie ?? '', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function whole(): Promise<ScoreboardResponse['standings']> {
  const r = await viewer.request<ScoreboardResponse>('GET', '/api/scoreboard');
  expect(r.status).toBe(200);
  return r.body.standings;
}

describe('GET /api/scoreboard paging', () => {
  it('answers the whole board without parameters, as before', async () => {
    const r = await viewer.request<Record<string, unknown>>('GET', '/api/scoreboard');
    expect(Object.keys(r.body)).toEqual(['standings']);
    expect(r.body.standings).toHaveLength(PLAYERS);
  });

  it('pages with limit and offset, pos counting the whole board', async () => {
    const all = await whole();
    const page = await viewer.request<ScoreboardPageResponse>('GET', '/api/scoreboard?limit=7&offset=10');
    expect(page.body).toEqual({ standings: all.slice(10, 17), total: PLAYERS, offset: 10 });
    expect(page.body.standings[0]?.pos).toBe(11);
    expect((await viewer.request<ScoreboardPageResponse>('GET', '/api/scoreboard?limit=5')).body.standings).toEqual(all.slice(0, 5));
    expect((await viewer.request<ScoreboardPageResponse>('GET', '/api/scoreboard?offset=25')).body).toEqual({ standings: all.slice(25), total: PLAYERS, offset: 25 });
    expect((await viewer.request<ScoreboardPageResponse>('GET', '/api/scoreboard?limit=10&offset=100')).body).toEqual({ standings: [], total: PLAYERS, offset: 100 });
  });

  it('centres around=me on the viewer, kept inside the board', async () => {
    const all = await whole();
    const mine = all.findIndex((r) => r.displayname === 'Seventeen');
    expect(mine).toBeGreaterThanOrEqual(0);
    const page = (await viewer.request<ScoreboardPageResponse>('GET', '/api/scoreboard?around=me&limit=5')).body;
    const start = Math.max(0, Math.min(mine - 2, PLAYERS - 5));
    expect(page).toEqual({ standings: all.slice(start, start + 5), total: PLAYERS, offset: start });
    expect(page.standings.map((r) => r.displayname)).toContain('Seventeen');
    const wide = (await viewer.request<ScoreboardPageResponse>('GET', '/api/scoreboard?around=me')).body;
    expect(wide.standings).toHaveLength(21);
    expect(wide.standings.map((r) => r.displayname)).toContain('Seventeen');
  });

  it('answers around=me for a player with no row with an empty page at the end', async () => {
    const fresh = new Client(server.url);
    await fresh.enter('player40', 'password40', 'Forty');
    expect((await fresh.request('GET', '/api/scoreboard?around=me')).body).toEqual({ standings: [], total: PLAYERS, offset: PLAYERS });
  });

  it('refuses bad parameters with 400 and says which one', async () => {
    const cases: Array<[string, string]> = [
      ['limit=0', 'limit: must be a whole number from 1 to 1000'],
      ['limit=1001', 'limit: must be a whole number from 1 to 1000'],
      ['limit=abc', 'limit: must be a whole number from 1 to 1000'],
      ['limit=1e2', 'limit: must be a whole number from 1 to 1000'],
      ['limit=', 'limit: must be a whole number from 1 to 1000'],
      ['limit=5&limit=6', 'limit: must be a whole number from 1 to 1000'],
      ['offset=-1', 'offset: must be a whole number from 0 to 1000000000'],
      ['around=you', 'around: must be "me"'],
      ['around=me&offset=3', 'offset: cannot be combined with around'],
    ];
    for (const [query, message] of cases) {
      const r = await viewer.request('GET', `/api/scoreboard?${query}`);
      expect([query, r.status, r.body]).toEqual([query, 400, { error: message }]);
    }
  });

  it('needs a session for every form, and a player for around=me', async () => {
    const anon = new Client(server.url);
    for (const q of ['', '?limit=5', '?around=me']) expect((await anon.request('GET', `/api/scoreboard${q}`)).status).toBe(401);
    const admin = { authorization: `Bearer ${TEST_TOKENS.admin}` };
    expect((await anon.request('GET', '/api/scoreboard?limit=5', undefined, admin)).status).toBe(200);
    expect((await anon.request('GET', '/api/scoreboard?around=me', undefined, admin)).body).toEqual({ error: 'unauthorized' });
  });
});

describe('GET /api/scoreboard encoding', () => {
  it('sends brotli or gzip as the client accepts, the same JSON either way', async () => {
    const plain = await raw('/api/scoreboard', {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const json = JSON.parse(plain.body.toString()) as ScoreboardResponse;
    expect(json.standings).toHaveLength(PLAYERS);

    const br = await raw('/api/scoreboard', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gz = await raw('/api/scoreboard', { 'accept-encoding': 'br;q=0, gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);

    const none = await raw('/api/scoreboard', { 'accept-encoding': 'identity, *;q=0' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.equals(plain.body)).toBe(true);
  });

  it('compresses pages too, and a changed board is served fresh in every encoding', async () => {
    const page = await raw('/api/scoreboard?limit=25', { 'accept-encoding': 'gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect((JSON.parse(zlib.gunzipSync(page.body).toString()) as ScoreboardPageResponse).standings).toHaveLength(25);

    const before = zlib.brotliDecompressSync((await raw('/api/scoreboard', { 'accept-encoding': 'br' })).body).toString();
    expect(before).not.toContain('player45');
    const auth = { authorization: `Bearer ${TEST_TOKENS.api}` };
    expect((await new Client(server.url).request('POST', '/api/award', { username: 'player45', id: 1 }, auth)).status).toBe(200);
    for (const coding of ['br', 'gzip', 'identity']) {
      const r = await raw('/api/scoreboard', { 'accept-encoding': coding });
      const text = coding === 'br' ? zlib.brotliDecompressSync(r.body) : coding === 'gzip' ? zlib.gunzipSync(r.body) : r.body;
      expect((JSON.parse(text.toString()) as ScoreboardResponse).standings.map((s) => s.displayname)).toContain('player45');
    }
    const paged = await raw('/api/scoreboard?limit=25', { 'accept-encoding': 'gzip' });
    expect((JSON.parse(zlib.gunzipSync(paged.body).toString()) as ScoreboardPageResponse).total).toBe(PLAYERS + 1);
  });
});
