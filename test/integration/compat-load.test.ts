import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fixtureChallenges, prerequisiteOrder } from '../helpers/game.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * The flow of the earlier engine's browser-emulating load script, written
 * against the documented contract only: login → set-name → challenges →
 * scorestream from websocket_url → every testflag in prerequisite order.
 */
async function playLikeTheOldScript(base: string, n: number, order: number[], flags: Map<number, string>): Promise<{ solved: number; confirmed: number }> {
  let cookie = '';
  const call = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(base + path, {
      method,
      headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] as string;
    if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const login = await call('POST', '/api/login', { username: `player${n}`, password: `password${n}` });
  if (login.needs_name) await call('POST', '/api/set-name', { name: `Load ${n}` });
  const challenges = (await call('GET', '/api/challenges')) as unknown as Array<{ id: number }>;
  if (!Array.isArray(challenges)) throw new Error('challenges is not an array');
  const ws = new WebSocket(String(login.websocket_url));
  const mine = new Set<number>();
  await new Promise<void>((resolve, reject) => {
    ws.once('message', (data) => {
      const first = JSON.parse(data.toString()) as Record<string, unknown>;
      if (first.type !== 'snapshot') reject(new Error('first message is not a snapshot'));
      resolve();
    });
    ws.once('error', reject);
  });
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as unknown;
    if (Array.isArray(msg)) for (const e of msg as Array<Record<string, unknown>>) if (e.displayname === `Load ${n}` && e.type === 'score') mine.add(Number(e.challenge_id));
  });
  let solved = 0;
  for (const id of order) {
    // The old script sent ids as strings.
    const r = await call('POST', '/api/submit', { id: String(id), flag: flags.get(id) });
    if (r.result === 'correct') solved++;
  }
  const deadline = Date.now() + 10_000;
  while (mine.size < solved && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  ws.close();
  return { solved, confirmed: mine.size };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('compatibility with the earlier engine’s load script', () => {
  it('plays 50 players through every challenge, each solve confirmed on its own socket', async () => {
    const challenges = fixtureChallenges() as Array<{ id: number; requirements?: number[]; testflag: string }>;
    const order = prerequisiteOrder(challenges);
    const flags = new Map(challenges.map((c) => [c.id, c.testflag]));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => playLikeTheOldScript(server.url, i + 1, order, flags)));
    for (const r of results) expect(r).toEqual({ solved: 15, confirmed: 15 });
  });
});
