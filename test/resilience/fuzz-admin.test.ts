/**
 * Property-based fuzzing of the admin API (SPEC §8): bodies, queries, path
 * parameters, credentials (session cookie, Bearer, wrong, a player's cookie),
 * origins and spoofed client-address headers. Invariants: only documented
 * statuses, never a 5xx, a stack trace or an internal message; errors as
 * `{"error": …}`; the server stays up; and the audit log holds exactly one
 * entry per accepted admin action (and per admin login and failed login),
 * from the real client address, with no secret in it.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { fixtureChallenges, writeGame } from '../helpers/game.js';
import { TEST_TOKENS, tempDir, type TestServer } from '../helpers/server.js';
import { Fleet, cookieValue } from './helpers/fleet.js';
import { extraHeaders, judge, newTally, shaped, weird, type Tally } from './helpers/fuzz-kit.js';
import { buildRequest, rawExchange, type RawResponse } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
afterAll(async () => {
  await fleet.finish('fuzz-admin');
});

interface AdminEndpoint {
  readonly method: string;
  /** as documented; `:id` is filled from `target` */
  readonly path: string;
  /** the statuses SPEC §8 / docs/event.md document for it (the generic refusals are always allowed) */
  readonly documented: readonly number[];
  /** odd bodies */
  readonly body?: fc.Arbitrary<unknown>;
  /** well-formed bodies, so the fuzz also reaches the actions themselves */
  readonly valid?: fc.Arbitrary<unknown>;
  readonly query?: fc.Arbitrary<string>;
  /**
   * Answers that must each add exactly one audit entry with the action given,
   * keyed by status ("200") or status and error code ("403:banned").
   */
  readonly audits?: Readonly<Record<string, string>>;
  /** answers that may add one (an attempt refused after it was audited) */
  readonly mayAudit?: Readonly<Record<string, string>>;
}

const FLAGS = fixtureChallenges().map((c) => String(c.testflag));
const time = fc.oneof(
  fc.constantFrom('2026-12-01T09:00:00Z', '2026-12-01T12:00:00+02:00', '2030-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2026-12-01T09:00:00', '2026-13-01T00:00:00Z', 'yesterday'),
  fc.constant(null),
  fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  weird,
);
const limitQuery = fc.oneof(
  fc.constant(''),
  fc.record({ limit: fc.oneof(fc.integer({ min: -5, max: 600 }).map(String), fc.constantFrom('abc', '1e3', '', '0x10', '1.5')), before_id: fc.oneof(fc.integer({ min: -5, max: 10_000 }).map(String), fc.constantFrom('abc', '', '9'.repeat(30))) }, { requiredKeys: [] }).map((q) => `?${new URLSearchParams(q).toString()}`),
  fc.constantFrom('?limit=1&limit=2', '?__proto__[x]=1', '?a=%', '?%%%'),
);

const USERNAMES = ['player2', 'player3', 'player4', 'player5', 'nobody', '', 'player2 ', 'PLAYER2', 'player2\u0000', '__proto__'];
/** Mostly real players (not player1, whose session stands for "a player's cookie"), sometimes odd. */
const username = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('player2', 'player3', 'player4', 'player5') }, { weight: 1, arbitrary: fc.constantFrom(...USERNAMES) }, { weight: 1, arbitrary: weird });
const realUser = fc.constantFrom('player2', 'player3', 'player4', 'player5');
const challengeId = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 15 }) }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 10_000 }) }, { weight: 1, arbitrary: weird });
const realId = fc.integer({ min: 1, max: 15 });
const reason = fc.oneof(fc.constantFrom('cheating', '', ' ', 'x'.repeat(2000), '<script>alert(1)</script>'), weird);
const userBody = shaped({ username });
const pagingQuery = (fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> =>
  fc.oneof(fc.constant(''), fc.record(fields, { requiredKeys: [] }).map((q) => `?${new URLSearchParams(q as Record<string, string>).toString()}`), fc.constantFrom('?limit=1&limit=2', '?__proto__[x]=1', '?a=%'));
const numText = fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), fc.constantFrom('abc', '', '1e3', '0x10', '1.5', '9'.repeat(30)));

/** Every admin endpoint (SPEC §8 and the console's reads). */
const ENDPOINTS: AdminEndpoint[] = [
  {
    method: 'POST',
    path: '/api/admin/login',
    documented: [204, 400, 401, 403, 429],
    body: shaped({
      token: fc.oneof({ weight: 3, arbitrary: fc.constant(TEST_TOKENS.admin) }, { weight: 1, arbitrary: fc.constantFrom(TEST_TOKENS.api, 'wrong-token-0123456789', '', 'x'.repeat(2000)) }, { weight: 1, arbitrary: weird }),
      name: fc.oneof(fc.constantFrom('Alice', 'Bob', ' Carol ', '', ' ', 'x'.repeat(40), 'x'.repeat(41), '\u0410lice', 'A\u200Blice'), weird),
    }),
    valid: fc.record({ token: fc.constantFrom(TEST_TOKENS.admin, TEST_TOKENS.admin, 'wrong-token-0123456789'), name: fc.constantFrom('Alice', 'Bob', 'Zoë') }),
    audits: { 204: 'login', 401: 'login_failed' },
  },
  { method: 'POST', path: '/api/admin/logout', documented: [204, 401], audits: { 204: 'logout' } },
  { method: 'POST', path: '/api/admin/event', documented: [200, 400, 401], body: shaped({ start: time, end: time, freeze: time, paused: fc.oneof(fc.boolean(), weird) }), valid: fc.record({ freeze: fc.constant(null), paused: fc.boolean() }, { requiredKeys: [] }), audits: { 200: 'event' } },
  { method: 'POST', path: '/api/admin/event/reveal', documented: [200, 401], audits: { 200: 'reveal' } },
  { method: 'POST', path: '/api/admin/announcements', documented: [201, 400, 401], body: shaped({ text: fc.oneof(fc.constantFrom('**Hint** fixed', '', ' ', 'x'.repeat(2001), '<img src=x onerror=alert(1)>'), fc.string({ maxLength: 300 }), weird) }), valid: fc.record({ text: fc.constantFrom('Challenge 3 fixed', '**Bold** news', 'Zoë says hi') }), audits: { 201: 'announce' } },
  { method: 'DELETE', path: '/api/admin/announcements/:id', documented: [204, 400, 401, 404], audits: { 204: 'delete_announcement' } },
  { method: 'GET', path: '/api/admin/stream-url', documented: [200, 401] },
  { method: 'GET', path: '/api/admin/audit', documented: [200, 400, 401], query: limitQuery },
  { method: 'GET', path: '/api/admin/scoreboard', documented: [200, 401] },
  { method: 'GET', path: '/api/admin/players', documented: [200, 400, 401], query: pagingQuery({ query: fc.oneof(fc.constantFrom('player', 'Ada', ''), fc.string({ maxLength: 250 })), limit: numText, offset: numText }) },
  { method: 'POST', path: '/api/admin/players/ban', documented: [200, 400, 401, 404], body: shaped({ username, reason }), valid: fc.record({ username: realUser, reason: fc.constant('cheating') }), audits: { 200: 'ban' } },
  { method: 'POST', path: '/api/admin/players/unban', documented: [200, 400, 401, 404], body: userBody, valid: fc.record({ username: realUser }), audits: { 200: 'unban' } },
  { method: 'POST', path: '/api/admin/players/clear-name', documented: [200, 400, 401, 404], body: userBody, valid: fc.record({ username: realUser }), audits: { 200: 'clear_name' } },
  { method: 'POST', path: '/api/admin/players/unranked', documented: [200, 400, 401, 404], body: shaped({ username, unranked: fc.oneof(fc.boolean(), weird) }), valid: fc.record({ username: realUser, unranked: fc.boolean() }), audits: { 200: 'unranked' } },
  { method: 'POST', path: '/api/admin/adjust', documented: [200, 400, 401, 404], body: shaped({ username, points: fc.oneof(fc.integer({ min: -1_000_001, max: 1_000_001 }), fc.constantFrom(0, 1.5, -0, 1e308), weird), reason }), valid: fc.record({ username: realUser, points: fc.integer({ min: -50, max: 50 }).filter((n) => n !== 0), reason: fc.constant('bonus') }), audits: { 200: 'adjust' } },
  // An award refused after the attempt was recorded (a banned player, a challenge hidden meanwhile) is audited too.
  { method: 'POST', path: '/api/admin/award', documented: [200, 400, 401, 403, 404], body: shaped({ username, id: challengeId, reason }), valid: fc.record({ username: realUser, id: realId, reason: fc.constant('judge said so') }), audits: { 200: 'award' }, mayAudit: { '403:banned': 'award', '404:unknown_id': 'award', '404:unknown_user': 'award' } },
  { method: 'POST', path: '/api/admin/solves/revoke', documented: [200, 400, 401, 404, 409], body: shaped({ username, id: challengeId, reason }), valid: fc.record({ username: realUser, id: realId, reason: fc.constant('shared flag') }), audits: { 200: 'revoke' } },
  {
    method: 'GET',
    path: '/api/admin/submissions',
    documented: [200, 400, 401],
    query: pagingQuery({
      username: fc.oneof(fc.constantFrom('player2', 'player4', 'nobody', ''), fc.string({ maxLength: 250 })),
      challenge_id: numText,
      result: fc.oneof(fc.constantFrom('correct', 'incorrect', 'CORRECT', ''), fc.string({ maxLength: 20 })),
      before_id: numText,
      limit: numText,
    }),
  },
  { method: 'GET', path: '/api/admin/overview', documented: [200, 401] },
  { method: 'GET', path: '/api/admin/challenges', documented: [200, 401] },
  { method: 'GET', path: '/api/admin/export/results.csv', documented: [200, 401], audits: { 200: 'export_results' } },
  { method: 'GET', path: '/api/admin/export/backup.jsonl', documented: [200, 401], audits: { 200: 'export_backup' } },
  // The folder is unchanged: every reload applies, with no changes.
  { method: 'POST', path: '/api/admin/reload', documented: [200, 401], audits: { 200: 'reload' } },
  { method: 'POST', path: '/api/admin/challenges/visibility', documented: [200, 400, 401, 404], body: shaped({ id: challengeId, hidden: fc.oneof(fc.boolean(), weird) }), valid: fc.record({ id: realId, hidden: fc.boolean() }), audits: { 200: 'visibility' } },
];

/** Fewer cases where each one is heavy (a reload, a whole backup) or ends the session. */
const RUNS: Readonly<Record<string, number>> = { '/api/admin/logout': 80, '/api/admin/reload': 60, '/api/admin/export/backup.jsonl': 30 };

type Auth = 'cookie' | 'bearer' | 'bearer-wrong' | 'bearer-api' | 'cookie-garbage' | 'player' | 'none';

interface Case {
  body: unknown;
  rawBody: string | null;
  contentType: string | null;
  query: string;
  auth: Auth;
  origin: 'none' | 'same' | 'foreign';
  /** X-Forwarded-For and friends: never the audited address (proxy trust is off) */
  spoof: boolean;
  extra: Array<[string, string]>;
  copies: number;
  /** for `:id`: a live announcement ('known'), or an odd value */
  target: string;
}

const SPOOFED = '6.6.6.6';
const target = fc.oneof(
  { weight: 3, arbitrary: fc.constant('known') },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 500 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('abc', '1.5', '1e3', '0x10', '%00', '%', '..%2f..%2fetc', '99999999999999999999', '-0', '%20') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent) },
);

const caseArb = (e: AdminEndpoint): fc.Arbitrary<Case> =>
  fc.record({
    body: e.valid && e.body ? fc.oneof({ weight: 1, arbitrary: e.valid }, { weight: 1, arbitrary: e.body }) : (e.body ?? fc.option(weird, { nil: undefined })),
    // Mostly none: the raw bodies test the parser, the others reach the routes.
    rawBody: fc.oneof(
      { weight: 6, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('{', '{"text":', '[]', 'null', '\u0000\u0001', '{"a":'.repeat(200), 'x'.repeat(17 * 1024)), fc.string({ unit: 'binary', maxLength: 200 })) },
    ),
    contentType: fc.oneof(
      { weight: 20, arbitrary: fc.constant('application/json') },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '') },
    ),
    query: e.query ?? fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: limitQuery }),
    auth: fc.constantFrom<Auth>('cookie', 'cookie', 'bearer', 'bearer', 'bearer-wrong', 'bearer-api', 'cookie-garbage', 'player', 'none'),
    origin: fc.constantFrom('none', 'none', 'none', 'same', 'foreign'),
    spoof: fc.boolean(),
    extra: extraHeaders,
    copies: fc.integer({ min: 1, max: 3 }),
    target,
  });

/** What the run holds between cases: live credentials, live announcement ids, the audit entries owed. */
interface Run {
  readonly server: TestServer;
  adminCookie: string;
  readonly playerCookie: string;
  readonly announcements: number[];
  /** audit entries owed per action: at least `min`, at most `max` */
  readonly owed: Map<string, { min: number; max: number }>;
  readonly tally: Tally;
}

function owe(run: Run, action: string, surely = true): void {
  const o = run.owed.get(action) ?? { min: 0, max: 0 };
  run.owed.set(action, { min: o.min + (surely ? 1 : 0), max: o.max + 1 });
}

/** An answer's audit key: "status:error" when it carries an error code, else "status". */
function answerKeys(a: RawResponse): string[] {
  let code: unknown;
  try {
    code = (JSON.parse(a.text) as { error?: unknown }).error;
  } catch {
    code = undefined;
  }
  return typeof code === 'string' ? [`${a.status}:${code}`, String(a.status)] : [String(a.status)];
}

async function adminLogin(run: Run, name: string): Promise<string> {
  const c = new Client(run.server.url);
  const r = await c.request('POST', '/api/admin/login', { token: TEST_TOKENS.admin, name });
  if (r.status !== 204 || !c.cookie) throw new Error(`admin login: ${r.status}`);
  owe(run, 'login');
  fleet.secret('session-cookie', cookieValue(c.cookie));
  return c.cookie;
}

function headersFor(run: Run, c: Case, body: Buffer | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = c.contentType ?? 'application/json';
  if (c.auth === 'cookie') headers.cookie = run.adminCookie;
  if (c.auth === 'cookie-garbage') headers.cookie = `ctfg_admin=${'A'.repeat(201)}; other=1`;
  if (c.auth === 'player') headers.cookie = run.playerCookie;
  if (c.auth === 'bearer') headers.authorization = `Bearer ${TEST_TOKENS.admin}`;
  if (c.auth === 'bearer-wrong') headers.authorization = 'Bearer wrong-admin-token-0123';
  if (c.auth === 'bearer-api') headers.authorization = `Bearer ${TEST_TOKENS.api}`;
  if (c.origin === 'same') headers.origin = run.server.url;
  if (c.origin === 'foreign') headers.origin = 'https://evil.example';
  for (const [k, v] of c.extra) headers[k.toLowerCase()] = v;
  if (c.spoof) Object.assign(headers, { 'x-forwarded-for': SPOOFED, 'x-real-ip': SPOOFED, forwarded: `for=${SPOOFED}` });
  return headers;
}

function bodyFor(c: Case, e: AdminEndpoint): Buffer | undefined {
  if (c.rawBody !== null) return Buffer.from(c.rawBody, 'latin1');
  if (c.body === undefined || e.method === 'GET') return undefined;
  return Buffer.from(JSON.stringify(c.body) ?? 'null');
}

/** Sends one case (several parallel copies for state-changing routes); answers the problems it revealed. */
async function send(run: Run, e: AdminEndpoint, c: Case): Promise<string[]> {
  const id = c.target === 'known' ? String(run.announcements.at(-1) ?? 1) : c.target;
  const body = bodyFor(c, e);
  const raw = buildRequest(run.server.port, { method: e.method, path: `${e.path.replace(':id', id)}${c.query}`, headers: headersFor(run, c, body), ...(body !== undefined ? { body } : {}) });
  const copies = e.method === 'GET' ? 1 : c.copies;
  const answers = await Promise.all(Array.from({ length: copies }, () => rawExchange(run.server.port, raw, 15_000).catch((err: Error) => err)));
  const before = run.tally.problems.length;
  for (const a of answers) {
    judge(e, a, run.tally);
    if (!(a instanceof Error)) await account(run, e, c, a, id);
  }
  return run.tally.problems.slice(before);
}

/** Books what an answer owes the audit log and keeps the run's credentials and ids current. */
async function account(run: Run, e: AdminEndpoint, c: Case, a: RawResponse, id: string): Promise<void> {
  if (a.status >= 500) run.tally.problems.push(`${e.method} ${e.path}: ${a.status} ${a.text.slice(0, 200)}`);
  const keys = answerKeys(a);
  const key = keys.find((k) => e.audits?.[k] !== undefined || e.mayAudit?.[k] !== undefined);
  if (key !== undefined && e.audits?.[key]) owe(run, e.audits[key]);
  else if (key !== undefined && e.mayAudit?.[key]) owe(run, e.mayAudit[key], false);
  if (e.path === '/api/admin/announcements' && a.status === 201) run.announcements.push((JSON.parse(a.text) as { id: number }).id);
  if (e.path === '/api/admin/announcements/:id' && a.status === 204) {
    const gone = run.announcements.indexOf(Number(id));
    if (gone >= 0) run.announcements.splice(gone, 1);
  }
  if (e.path === '/api/admin/login' && a.status === 204) fleet.secret('session-cookie', cookieValue((a.headers['set-cookie'] ?? '').split(';')[0] ?? ''));
  // A logout by cookie ends the run's admin session: start another so later cases still reach the rules.
  if (e.path === '/api/admin/logout' && a.status === 204 && c.auth === 'cookie') run.adminCookie = await adminLogin(run, 'Fuzzer');
}

interface AuditEntry {
  readonly id: number;
  readonly admin: string;
  readonly address: string;
  readonly action: string;
  readonly detail: string;
}

/** The whole audit log, newest first, paged with the Bearer token. */
async function readAudit(run: Run): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  const c = new Client(run.server.url);
  for (let before = ''; ; ) {
    const r = await c.request<{ entries: AuditEntry[] }>('GET', `/api/admin/audit?limit=500${before}`, undefined, { authorization: `Bearer ${TEST_TOKENS.admin}` });
    expect(r.status).toBe(200);
    all.push(...r.body.entries);
    const last = r.body.entries.at(-1);
    if (r.body.entries.length < 500 || !last) return all;
    before = `&before_id=${last.id}`;
  }
}

/** Exactly the owed entries per action, from the real address, with no secret inside. */
function auditProblems(entries: readonly AuditEntry[], owed: ReadonlyMap<string, { min: number; max: number }>): string[] {
  const problems: string[] = [];
  const counted = new Map<string, number>();
  for (const e of entries) counted.set(e.action, (counted.get(e.action) ?? 0) + 1);
  for (const action of new Set([...owed.keys(), ...counted.keys()])) {
    const { min, max } = owed.get(action) ?? { min: 0, max: 0 };
    const n = counted.get(action) ?? 0;
    if (n < min || n > max) problems.push(`audit ${action}: ${n} entries for ${min === max ? min : `${min}–${max}`} answers`);
  }
  const secrets = [TEST_TOKENS.admin, TEST_TOKENS.api, ...FLAGS.filter((f) => f.length >= 6), 'password1'];
  for (const e of entries) {
    if (!/^(::ffff:)?127\.0\.0\.1$|^::1$/.test(e.address)) problems.push(`audit ${e.id} ${e.action}: address ${e.address}`);
    const text = `${e.admin} ${e.detail}`;
    for (const s of secrets) if (text.includes(s)) problems.push(`audit ${e.id} ${e.action}: holds a secret`);
  }
  return problems;
}

/** A few solves and wrong guesses, so boards, awards, revokes and logs have something to act on. */
async function solveSome(server: TestServer): Promise<void> {
  const challenges = fixtureChallenges();
  for (const n of [2, 3, 4]) {
    const c = await fleet.login(server.url, n);
    // Some are locked behind requirements (403): fine, the others solve.
    for (const ch of challenges.slice(0, 6)) expect([200, 403]).toContain((await c.submit(Number(ch.id), n === 4 ? 'wrong' : String(ch.testflag))).status);
  }
}

/** The never-frozen board, as an admin script reads it. */
async function liveBoard(server: TestServer): Promise<unknown> {
  const r = await new Client(server.url).request('GET', '/api/admin/scoreboard', undefined, { authorization: `Bearer ${TEST_TOKENS.admin}` });
  expect(r.status).toBe(200);
  return r.body;
}

describe('fuzzing the admin endpoints', () => {
  it('answers only documented codes without internals, stays up, and audits every accepted action exactly once', async () => {
    // Limits high, so the fuzz reaches the rules rather than the buckets.
    const high = '1000000,0.001';
    const options = {
      dbDir: tempDir('ctfg-res-fuzz-admin-'),
      gameDir: writeGame(),
      env: { CTFG_RATE_TOKEN_FAILURES: high, CTFG_RATE_LOGIN_USER: high, CTFG_RATE_LOGIN_USER_ADDRESS: high, CTFG_RATE_LOGIN_ADDRESS: high },
    };
    const server = await fleet.start(options);
    await solveSome(server);
    const player = await fleet.login(server.url, 1);
    const run: Run = { server, adminCookie: '', playerCookie: player.cookie ?? '', announcements: [], owed: new Map(), tally: newTally() };
    run.adminCookie = await adminLogin(run, 'Fuzzer');
    const perEndpoint: Record<string, number> = {};
    const t0 = Date.now();
    for (const e of ENDPOINTS) {
      const runs = RUNS[e.path] ?? 200;
      await fc.assert(
        fc.asyncProperty(caseArb(e), async (c) => {
          const problems = await send(run, e, c);
          if (problems.length > 0) throw new Error(problems.join('\n'));
        }),
        { numRuns: runs, endOnFailure: true },
      );
      perEndpoint[`${e.method} ${e.path}`] = runs;
      expect((await fetch(`${server.url}/healthz`)).status, `after fuzzing ${e.path}`).toBe(200);
      expect(run.tally.problems.slice(0, 10)).toEqual([]);
    }
    const fuzzMs = Date.now() - t0;
    const entries = await readAudit(run);
    const problems = auditProblems(entries, run.owed);
    recordResult('fuzz-admin', {
      cases: Object.values(perEndpoint).reduce((a, b) => a + b, 0),
      casesPerEndpoint: perEndpoint,
      requests: run.tally.requests,
      statuses: run.tally.statuses,
      statusesByEndpoint: run.tally.byEndpoint,
      auditEntries: entries.length,
      auditedActions: Object.fromEntries(run.owed),
      auditProblems: problems.length,
      fuzzMs,
    });
    expect(problems.slice(0, 10)).toEqual([]);
    // Every audited action was reached at least once, so the audit check above is not vacuous.
    for (const e of ENDPOINTS.filter((x) => x.audits)) {
      expect(Math.max(...Object.values(e.audits ?? {}).map((action) => run.owed.get(action)?.min ?? 0)), `${e.method} ${e.path} audited`).toBeGreaterThan(0);
    }
    // What the admin changed lives in the database, not only in memory: a restart rebuilds the same board.
    const live = await liveBoard(server);
    expect(await server.stop()).toBe(0);
    const again = await fleet.start(options);
    expect(await liveBoard(again)).toEqual(live);
    expect(await again.stop()).toBe(0);
  });
});
