/**
 * Property-based fuzzing of every endpoint's body, query and headers: only
 * documented status codes come back, never a stack trace or internal
 * message, the server stays up, and afterwards the database holds only what
 * the rules allow (one solve per player and challenge, hints in order and
 * only when affordable, nothing for unknown players or challenges).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { fixtureChallenges, writeGame } from '../helpers/game.js';
import { TEST_TOKENS, tempDir, type TestServer } from '../helpers/server.js';
import { checkInvariants, readDb, type GameRules } from './helpers/db.js';
import { Fleet, cookieValue } from './helpers/fleet.js';
import { extraHeaders, judge, newTally, shaped, weird, type Tally } from './helpers/fuzz-kit.js';
import { buildRequest, rawExchange } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
afterAll(async () => {
  await fleet.finish('fuzz');
});

interface Endpoint {
  readonly method: string;
  readonly path: string;
  /** the statuses SPEC §3 documents for it */
  readonly documented: readonly number[];
  readonly body?: fc.Arbitrary<unknown>;
}

/** Challenge 1's flag backtracks catastrophically in a backtracking engine; the judge must stay linear. */
const BACKTRACKING_FLAG = '^(?:2+_?)+6$';
const CHALLENGES = fixtureChallenges().map((c) => (c.id === 1 ? { ...c, flag: BACKTRACKING_FLAG } : c)) as unknown as Array<GameRules['challenges'][number] & { testflag: string }>;
const FLAGS = CHALLENGES.map((c) => c.testflag);
const USERNAMES = ['player1', 'player2', 'player3', 'player4', 'player5', 'nobody', '', 'player1 ', 'PLAYER1', 'player1\u0000'];

/** Look-alike and invisible names (issue 13 finding 8): each must be refused or collide, never crash. */
const lookAlikeName = fc.constantFrom(
  '\u0410da',
  'Ada\u3164',
  '\u3164',
  '\u3164\u3164',
  'Ad\u034Fa',
  'Ada\uFE0F',
  'A\u200Bda',
  '\u0430dmin',
  'ad\u034Fmin',
  'ADM\u0130N',
  '\u0455ystem',
  'Z\u0301\u0302\u0303\u0304algo',
  'A\u115F\u1160',
  'Ada\u{E0100}',
);
/** Submissions that make a backtracking engine explode on a pattern like ^CTF\{([a-z0-9]+_?)+\}$. */
const evilFlag = fc.constantFrom(`${'2'.repeat(40)}!`, `CTF{${'a'.repeat(29)}!`, `${'a'.repeat(1023)}!`, `CTF{${'a_'.repeat(500)}`, '('.repeat(1000));
const id = fc.oneof(fc.integer({ min: -2, max: 17 }), fc.integer({ min: 1, max: 16 }).map(String), weird);
const flag = fc.oneof(evilFlag, fc.constantFrom(...FLAGS), fc.constantFrom(...FLAGS).map((f) => ` \t${f}\n`), fc.string({ maxLength: 30 }), weird);
/** A real challenge with its real flag: the fuzz must also reach solves, hints and awards. */
const validPair = fc.integer({ min: 0, max: CHALLENGES.length - 1 }).map((i) => CHALLENGES[i] as { id: number; testflag: string });
const validSubmit = validPair.map((c) => ({ id: c.id, flag: c.testflag }));
const validHint = fc.record({ id: validPair.map((c) => c.id), hint_id: fc.integer({ min: 1, max: 3 }) });
const validAward = fc.record({ username: fc.constantFrom('player1', 'player2', 'player3', 'player4', 'player5'), id: validPair.map((c) => c.id) });

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: '/api/login', documented: [200, 401, 429], body: shaped({ username: fc.oneof(fc.constantFrom(...USERNAMES), weird), password: fc.oneof(fc.constantFrom('password1', 'password2', 'wrong'), weird) }) },
  { method: 'POST', path: '/api/logout', documented: [204, 401] },
  { method: 'GET', path: '/api/me', documented: [200, 401] },
  { method: 'POST', path: '/api/set-name', documented: [200, 400, 409, 429], body: shaped({ name: fc.oneof(fc.constantFrom('Ada', 'Bob', 'ad', 'x', 'Admin', 'aaaaa', 'Grace Hopper', '  Ada  '), lookAlikeName, weird) }) },
  { method: 'GET', path: '/api/challenges', documented: [200, 401] },
  { method: 'POST', path: '/api/submit', documented: [200, 400, 403, 429], body: fc.oneof({ weight: 5, arbitrary: validSubmit }, { weight: 3, arbitrary: shaped({ id, flag }) }) },
  { method: 'POST', path: '/api/hint', documented: [200, 400, 402, 403, 429], body: fc.oneof({ weight: 5, arbitrary: validHint }, { weight: 3, arbitrary: shaped({ id, hint_id: fc.oneof(fc.integer({ min: 0, max: 4 }), weird) }) }) },
  { method: 'POST', path: '/api/award', documented: [200, 400, 401, 429], body: fc.oneof({ weight: 3, arbitrary: validAward }, { weight: 3, arbitrary: shaped({ username: fc.oneof(fc.constantFrom(...USERNAMES), weird), id }) }) },
  { method: 'GET', path: '/api/scoreboard', documented: [200, 401] },
  { method: 'GET', path: '/api/config', documented: [200] },
  { method: 'GET', path: '/reset', documented: [200] },
  { method: 'POST', path: '/admin/reset', documented: [200, 400, 401, 403, 429], body: shaped({ token: fc.oneof(fc.constantFrom('wrong', ''), weird), confirm: fc.oneof(fc.constant('yes'), weird) }) },
  { method: 'GET', path: '/healthz', documented: [200] },
  { method: 'GET', path: '/readyz', documented: [200, 503] },
  { method: 'GET', path: '/metrics', documented: [200, 401, 429] },
  { method: 'GET', path: '/', documented: [200] },
  { method: 'GET', path: '/scorestream', documented: [401] },
];

interface Case {
  body: unknown;
  rawBody: string | null;
  contentType: string | null;
  query: string;
  cookie: 'player' | 'garbage' | 'none' | 'huge';
  origin: 'none' | 'same' | 'foreign' | 'garbage';
  authorization: 'none' | 'api' | 'bearer-api' | 'garbage';
  extra: Array<[string, string]>;
  copies: number;
  player: number;
}

const caseArb = (e: Endpoint): fc.Arbitrary<Case> =>
  fc.record({
    body: e.body ?? fc.option(weird, { nil: undefined }),
    rawBody: fc.option(
      fc.oneof(
        fc.constantFrom('{', '{"id":', '[]', 'null', '{"id":1,"flag":"26"', '\u0000\u0001', '{"a":'.repeat(200), 'x'.repeat(17 * 1024), `{"flag":"${'9'.repeat(20_000)}"}`),
        fc.string({ unit: 'binary', maxLength: 200 }),
      ),
      { freq: 5, nil: null },
    ),
    contentType: fc.oneof(
      { weight: 10, arbitrary: fc.constant('application/json') },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'JSON', '') },
    ),
    query: fc.oneof(
      fc.constant(''),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((d) => `?${new URLSearchParams(d).toString()}`),
      fc.constantFrom('?confirm=yes', '?since=abc', '?token=', '?__proto__[x]=1', '?a=%', '?%%%'),
    ),
    cookie: fc.constantFrom('player', 'player', 'player', 'garbage', 'none', 'huge'),
    origin: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'same', 'same', 'foreign', 'garbage'),
    authorization: fc.constantFrom('none', 'api', 'bearer-api', 'garbage'),
    extra: extraHeaders,
    copies: fc.integer({ min: 1, max: 3 }),
    player: fc.integer({ min: 0, max: 4 }),
  });

function encode(c: Case, e: Endpoint): { body: Buffer | undefined; contentType: string | undefined } {
  if (c.rawBody !== null) return { body: Buffer.from(c.rawBody, 'latin1'), contentType: c.contentType ?? 'application/json' };
  if (c.body === undefined) return { body: undefined, contentType: c.contentType ?? undefined };
  const type = c.contentType ?? 'application/json';
  if (type.startsWith('application/x-www-form-urlencoded') && typeof c.body === 'object' && c.body !== null && !Array.isArray(c.body)) {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(c.body)) form.set(k, typeof v === 'string' ? v : JSON.stringify(v) ?? '');
    return { body: Buffer.from(form.toString()), contentType: type };
  }
  return { body: e.method === 'GET' && c.contentType === null ? undefined : Buffer.from(JSON.stringify(c.body) ?? 'null'), contentType: type };
}

/** Sends one case; resolves with the problems it revealed (also added to the tally). */
async function send(server: TestServer, cookies: string[], e: Endpoint, c: Case, tally: Tally): Promise<string[]> {
  const { body, contentType } = encode(c, e);
  const headers: Record<string, string> = {};
  if (contentType !== undefined && body !== undefined) headers['content-type'] = contentType;
  if (c.cookie === 'player') headers.cookie = cookies[c.player] as string;
  if (c.cookie === 'garbage') headers.cookie = 'ctfg_session=garbage; other=1';
  if (c.cookie === 'huge') headers.cookie = `ctfg_session=${'A'.repeat(6000)}`;
  if (c.origin === 'same') headers.origin = server.url;
  if (c.origin === 'foreign') headers.origin = 'https://evil.example';
  if (c.origin === 'garbage') headers.origin = '::not a url::';
  if (c.authorization === 'api') headers.authorization = TEST_TOKENS.api;
  if (c.authorization === 'bearer-api') headers.authorization = `Bearer ${TEST_TOKENS.api}`;
  if (c.authorization === 'garbage') headers.authorization = 'Bearer \u00ff\u00fe garbage';
  for (const [k, v] of c.extra) headers[k.toLowerCase()] = v;
  const raw = buildRequest(server.port, { method: e.method, path: `${e.path}${c.query}`, headers, ...(body !== undefined ? { body } : {}) });
  const copies = ['/api/submit', '/api/hint', '/api/award', '/api/set-name'].includes(e.path) ? c.copies : 1;
  const answers = await Promise.all(Array.from({ length: copies }, () => rawExchange(server.port, raw, 15_000).catch((err: Error) => err)));
  const before = tally.problems.length;
  for (const a of answers) judge(e, a, tally);
  return tally.problems.slice(before);
}

describe('fuzzing every endpoint', () => {
  it('answers only documented codes without internals, stays up, and keeps the database consistent', async () => {
    const dbDir = tempDir('ctfg-res-fuzz-');
    // Limits high, so the fuzz reaches the rules rather than the buckets.
    const high = '1000000,0.001';
    const server = await fleet.start({
      dbDir,
      gameDir: writeGame({ challenges: CHALLENGES }),
      env: { CTFG_RATE_SUBMIT: high, CTFG_RATE_HINT: high, CTFG_RATE_SET_NAME: high, CTFG_RATE_AWARD: high, CTFG_RATE_LOGIN_USER: high, CTFG_RATE_LOGIN_USER_ADDRESS: high, CTFG_RATE_LOGIN_ADDRESS: high, CTFG_RATE_TOKEN_FAILURES: high },
    });
    const cookies: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const c = new Client(server.url);
      await c.login(`player${i}`, `password${i}`);
      fleet.secret('password', `password${i}`);
      fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
      cookies.push(c.cookie as string);
    }
    for (const f of FLAGS) fleet.secret('flag', f);
    const tally = newTally();
    const perEndpoint: Record<string, number> = {};
    const t0 = Date.now();
    for (const e of ENDPOINTS) {
      // Logout ends a fuzz session; log it back in so later cases still reach the rules.
      const runs = e.path === '/api/logout' ? 100 : 300;
      await fc.assert(
        fc.asyncProperty(caseArb(e), async (c) => {
          const problems = await send(server, cookies, e, c, tally);
          if (problems.length > 0) throw new Error(problems.join('\n'));
          if (e.path === '/api/logout' || e.path === '/api/login') {
            const again = new Client(server.url);
            await again.login(`player${c.player + 1}`, `password${c.player + 1}`);
            fleet.secret('session-cookie', cookieValue(again.cookie ?? ''));
            cookies[c.player] = again.cookie as string;
          }
        }),
        { numRuns: runs, endOnFailure: true },
      );
      perEndpoint[`${e.method} ${e.path}`] = runs;
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status, `after fuzzing ${e.path}`).toBe(200);
      expect(tally.problems.slice(0, 10)).toEqual([]);
    }
    // Concurrent bursts of valid-looking operations from the same players: the
    // rules must hold under races (one solve each, hints only when affordable).
    const players = cookies.map((cookie) => Object.assign(new Client(server.url), { cookie }));
    const op = fc.record({
      kind: fc.constantFrom('submit', 'submit', 'hint', 'hint', 'hint', 'award'),
      player: fc.integer({ min: 0, max: 4 }),
      challenge: validPair,
      hint: fc.integer({ min: 1, max: 3 }),
    });
    let burstRequests = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const answers = await Promise.all(
          ops.map((o) => {
            const p = players[o.player] as Client;
            if (o.kind === 'submit') return p.submit(o.challenge.id, o.challenge.testflag);
            if (o.kind === 'hint') return p.hint(o.challenge.id, o.hint);
            return p.request('POST', '/api/award', { username: `player${o.player + 1}`, id: o.challenge.id }, { authorization: TEST_TOKENS.api });
          }),
        );
        burstRequests += answers.length;
        for (const a of answers) {
          const documented = [200, 400, 402, 403, 429];
          if (!documented.includes(a.status)) tally.problems.push(`burst: status ${a.status} ${JSON.stringify(a.body).slice(0, 100)}`);
        }
      }),
      { numRuns: 150, endOnFailure: true },
    );
    expect(tally.problems.slice(0, 10)).toEqual([]);
    const fuzzMs = Date.now() - t0;
    const exit = await server.stop();
    expect(exit).toBe(0);
    const contents = readDb(dbDir);
    const violations = checkInvariants(contents, { challenges: CHALLENGES });
    recordResult('fuzz', {
      cases: Object.values(perEndpoint).reduce((a, b) => a + b, 0),
      casesPerEndpoint: perEndpoint,
      requests: tally.requests,
      concurrentBurstRequests: burstRequests,
      statuses: tally.statuses,
      statusesByEndpoint: tally.byEndpoint,
      fuzzMs,
      eventsInDb: contents.events.length,
      solvesInDb: contents.events.filter((e) => e.kind === 'score').length,
      hintsInDb: contents.events.filter((e) => e.kind === 'hint').length,
      invariantViolations: violations.length,
    });
    expect(violations).toEqual([]);
    expect(contents.events.length).toBeGreaterThan(0);
  });
});
