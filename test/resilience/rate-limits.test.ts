/**
 * Rate limits: every limited endpoint answers 429 (with Retry-After) exactly
 * when its bucket is empty — at the documented default burst, and at small
 * configured values — and recovers at the configured refill rate. Login brute
 * force is limited per username and per address.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Client, type Reply } from '../helpers/client.js';
import { TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { Fleet, cookieValue } from './helpers/fleet.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('rate-limits', figures);
  await fleet.finish('rate-limits');
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function player(server: TestServer, n: number, address?: string): Promise<Client> {
  const c = new Client(server.url);
  const r = await c.request('POST', '/api/login', { username: `player${n}`, password: `password${n}` }, address ? { 'x-forwarded-for': address } : {});
  if (r.status !== 200) throw new Error(`login player${n}: ${r.status}`);
  fleet.secret('password', `password${n}`);
  fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
  return c;
}

interface Probe {
  /** sends one request that spends a token (or is refused) */
  readonly spend: () => Promise<Reply>;
}

interface LimitFigures {
  allowedBeforeLimit: number;
  firstLimitedRetryAfter: string | null;
  limitedBody: unknown;
  allowedAfterRefill?: number;
}

/** Spends until the first 429 (bounded); returns how many were allowed and the refusal. */
async function exhaust(p: Probe, max: number): Promise<{ allowed: number; limited: Reply | null }> {
  for (let i = 0; i <= max; i++) {
    const r = await p.spend();
    if (r.status === 429) return { allowed: i, limited: r };
  }
  return { allowed: max + 1, limited: null };
}

/** Burst, refusal, and recovery: after `refillMs` × 1.2 exactly one more, then 429 again. */
async function burstAndRecovery(p: Probe, burst: number, refillMs: number): Promise<LimitFigures> {
  const first = await exhaust(p, burst + 5);
  expect(first.allowed).toBe(burst);
  expect(first.limited?.body).toEqual({ error: 'rate_limit_exceeded' });
  const retryAfter = first.limited?.headers.get('retry-after') ?? null;
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  // Still limited before a token is back.
  expect((await p.spend()).status).toBe(429);
  await sleep(refillMs * 1.2);
  const again = await exhaust(p, 5);
  expect(again.allowed).toBe(1);
  return { allowedBeforeLimit: first.allowed, firstLimitedRetryAfter: retryAfter, limitedBody: first.limited?.body, allowedAfterRefill: again.allowed };
}

describe('rate limits at configured values', () => {
  it('answers 429 at each bucket’s burst and recovers at its refill rate', async () => {
    const server = await fleet.start({
      env: {
        CTFG_TRUST_PROXY: '1',
        CTFG_RATE_SUBMIT: '3,2',
        CTFG_RATE_HINT: '4,2',
        CTFG_RATE_SET_NAME: '3,2',
        CTFG_RATE_AWARD: '5,2',
        CTFG_RATE_LOGIN_USER: '3,2',
        CTFG_RATE_LOGIN_ADDRESS: '6,2',
        CTFG_RATE_TOKEN_FAILURES: '3,2',
      },
    });
    const [a, b, c] = await Promise.all([player(server, 1, '10.0.0.1'), player(server, 2, '10.0.0.2'), player(server, 3, '10.0.0.3')]);
    const anon = (): Client => new Client(server.url);
    const xff = (address: string): Record<string, string> => ({ 'x-forwarded-for': address });
    let nameCounter = 0;
    let userCounter = 100;
    const results = await Promise.all([
      burstAndRecovery({ spend: () => a.submit(1, 'wrong') }, 3, 2000),
      burstAndRecovery({ spend: () => b.hint(1, 99) }, 4, 2000),
      burstAndRecovery({ spend: () => c.request('POST', '/api/set-name', { name: `Name ${++nameCounter}` }) }, 3, 2000),
      burstAndRecovery({ spend: () => anon().request('POST', '/api/award', { username: 'player9', id: 99 }, { authorization: TEST_TOKENS.api, ...xff('10.0.0.4') }) }, 5, 2000),
      burstAndRecovery({ spend: () => anon().request('POST', '/api/login', { username: 'player10', password: 'wrong' }, xff('10.0.1.1')) }, 3, 2000),
      burstAndRecovery({ spend: () => anon().request('POST', '/api/award', { username: 'player9', id: 1 }, { authorization: 'wrong-token', ...xff('10.0.0.6') }) }, 3, 2000),
      burstAndRecovery({ spend: () => anon().request('POST', '/api/login', { username: `player${++userCounter}`, password: 'wrong' }, xff('10.0.2.1')) }, 6, 2000),
      burstAndRecovery(
        {
          spend: async () => {
            const r = await fetch(`${server.url}/admin/reset?confirm=yes`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...xff('10.0.0.7') },
              body: JSON.stringify({ token: 'wrong-admin-token' }),
            });
            return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
          },
        },
        3,
        2000,
      ),
    ]);
    const [submit, hint, setName, award, loginUser, tokenFailures, loginAddress, adminTokenFailures] = results;
    figures.configured = { submit, hint, setName, award, loginUser, loginAddress, tokenFailures, adminTokenFailures, rules: 'burst 3–6, one token back every 2 s' };
  });

  it('spends submit tokens only on wrong flags and judges nothing while empty', async () => {
    const server = await fleet.start({ env: { CTFG_RATE_SUBMIT: '2,60' } });
    const a = await player(server, 1);
    expect((await a.submit(1, 'wrong')).body).toEqual({ result: 'incorrect' });
    expect((await a.submit(1, 'wrong')).body).toEqual({ result: 'incorrect' });
    const limited = await a.submit(1, '26');
    expect(limited.status).toBe(429);
    // The correct flag sent while limited was not judged: the challenge is still unsolved.
    const list = await a.request<Array<{ id: number; solved: boolean }>>('GET', '/api/challenges');
    expect(list.body.find((ch) => ch.id === 1)?.solved).toBe(false);
    // A player sending only correct flags is never limited, however fast.
    const b = await player(server, 2);
    const answers = await Promise.all(
      [[1, '26'], [2, '32'], [6, '75'], [3, '10'], [4, '2'], [5, '4'], [7, '150'], [8, '1/5'], [9, '45'], [10, '480'], [11, '6298.56'], [12, '42'], [13, '15'], [14, '375'], [15, '300']].map(
        ([id, flag]) => b.submit(id as number, flag as string),
      ),
    );
    expect(answers.filter((r) => r.status === 429)).toEqual([]);
  });
});

describe('login brute force', () => {
  it('limits failed logins per username (from any address) and per address (for any username)', async () => {
    const server = await fleet.start({ env: { CTFG_TRUST_PROXY: '1', CTFG_RATE_LOGIN_USER: '5,60', CTFG_RATE_LOGIN_ADDRESS: '8,60' } });
    const login = (username: string, password: string, address: string): Promise<Reply> =>
      new Client(server.url).request('POST', '/api/login', { username, password }, { 'x-forwarded-for': address });
    fleet.secret('password', 'password1');
    fleet.secret('password', 'password2');
    // Per username: five wrong passwords, each from a different address, lock player1 everywhere.
    for (let i = 0; i < 5; i++) expect((await login('player1', `guess-${i}`, `192.0.2.${i + 1}`)).status).toBe(401);
    const lockedRight = await login('player1', 'password1', '192.0.2.200');
    expect(lockedRight.status).toBe(429);
    // …without touching other players on those addresses.
    expect((await login('player2', 'password2', '192.0.2.1')).status).toBe(200);
    // Per address: eight failures across many usernames from one address lock that address…
    for (let i = 0; i < 8; i++) expect((await login(`player${20 + i}`, 'nope', '198.51.100.7')).status).toBe(401);
    const lockedAddress = await login('player40', 'password40', '198.51.100.7');
    expect(lockedAddress.status).toBe(429);
    fleet.secret('password', 'password40');
    // …and not the others, nor those usernames from elsewhere.
    expect((await login('player40', 'password40', '198.51.100.8')).status).toBe(200);
    expect((await login('player20', 'password20', '198.51.100.9')).status).toBe(200);
    fleet.secret('password', 'password20');
    // Unknown usernames count like wrong passwords.
    for (let i = 0; i < 5; i++) await login('no-such-user', 'x', `203.0.113.${i + 1}`);
    expect((await login('no-such-user', 'x', '203.0.113.99')).status).toBe(429);
    figures.bruteForce = {
      perUsername: { burst: 5, lockedEvenWithRightPassword: lockedRight.status, retryAfter: lockedRight.headers.get('retry-after') },
      perAddress: { burst: 8, lockedEvenWithRightPassword: lockedAddress.status, retryAfter: lockedAddress.headers.get('retry-after') },
    };
  });
});

describe('rate limits at the documented defaults', () => {
  it('allows exactly the default bursts (SPEC §6) and limits the next request', async () => {
    const server = await fleet.start({ env: { CTFG_TRUST_PROXY: '1' } });
    const [a, b, c] = await Promise.all([player(server, 1, '10.1.0.1'), player(server, 2, '10.1.0.2'), player(server, 3, '10.1.0.3')]);
    let n = 0;
    const anon = new Client(server.url);
    /** Exhausts a bucket and bounds what refill may have added meanwhile. */
    const timed = async (p: Probe, burst: number, refillSeconds: number): Promise<{ allowed: number; ms: number; upperBound: number }> => {
      const t0 = Date.now();
      const { allowed } = await exhaust(p, burst + 40);
      const ms = Date.now() - t0;
      return { allowed, ms, upperBound: burst + Math.floor(ms / 1000 / refillSeconds) };
    };
    const defaults = {
      submit: await timed({ spend: () => a.submit(1, 'wrong') }, 10, 6),
      hint: await timed({ spend: () => b.hint(1, 99) }, 20, 1),
      setName: await timed({ spend: () => c.request('POST', '/api/set-name', { name: `Default ${++n}` }) }, 10, 1),
      loginUser: await timed({ spend: () => anon.request('POST', '/api/login', { username: 'player50', password: 'x' }, { 'x-forwarded-for': '10.1.1.1' }) }, 10, 6),
      tokenFailures: await timed({ spend: () => anon.request('POST', '/api/award', { username: 'player1', id: 1 }, { authorization: 'bad', 'x-forwarded-for': '10.1.2.1' }) }, 10, 6),
      award: await timed({ spend: () => anon.request('POST', '/api/award', { username: 'player1', id: 999 }, { authorization: TEST_TOKENS.api, 'x-forwarded-for': '10.1.3.1' }) }, 100, 0.1),
      loginAddress: await timed(
        { spend: () => anon.request('POST', '/api/login', { username: `player${100 + (n++ % 300)}`, password: 'x' }, { 'x-forwarded-for': '10.1.4.1' }) },
        100,
        0.1,
      ),
    };
    figures.defaults = defaults;
    const documented = { submit: 10, hint: 20, setName: 10, loginUser: 10, tokenFailures: 10, award: 100, loginAddress: 100 };
    for (const [name, burst] of Object.entries(documented)) {
      const d = defaults[name as keyof typeof defaults];
      // The documented burst, plus at most what the documented refill rate returned while the burst was spent.
      expect(d.allowed, name).toBeGreaterThanOrEqual(burst);
      expect(d.allowed, name).toBeLessThanOrEqual(d.upperBound);
    }
  });
});
