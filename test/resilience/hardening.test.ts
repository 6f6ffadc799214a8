/**
 * Issue 13's attacks, each a test that failed on the code before the fix:
 * raced rate limits (1), targeted lockout (6), and the others added below.
 */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import { DEFAULT_LIMITS } from '../../src/limits/rules.js';
import { Client, type Reply } from '../helpers/client.js';
import { fixtureChallenges, writeGame } from '../helpers/game.js';
import { Fleet } from './helpers/fleet.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('hardening', figures);
  await fleet.finish('hardening');
});

const redis = Boolean(process.env.CTFG_TEST_REDIS_URL && process.env.CTFG_TEST_POSTGRES_URL);
const backends: Array<'sqlite' | 'postgres'> = redis ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * These servers judge argon2 logins by the hundred: on a loaded CI box a
 * request can wait past the default request timeouts (408, unjudged);
 * what is measured here is what gets judged, so the timeout is out of the way.
 */
const SLOW_BOX = { CTFG_TRUST_PROXY: '1', CTFG_REQUEST_TIMEOUT: '300', CTFG_HEADERS_TIMEOUT: '300' };

/**
 * At most the burst, plus what the bucket refilled while the attempts ran: on
 * a loaded CI box 100 argon2 checks have taken 70 s, long enough for 11 refills.
 */
function mostJudged(rule: { burst: number; refillSeconds: number }, began: number): number {
  return rule.burst + Math.floor((Date.now() - began) / (rule.refillSeconds * 1000));
}

function login(base: string, username: string, password: string, address?: string): Promise<Reply> {
  return new Client(base).request('POST', '/api/login', { username, password }, address ? { 'x-forwarded-for': address } : {});
}

describe.each(backends)('raced rate limits (%s)', (backend) => {
  it('100 parallel wrong logins against an argon2 account judge at most the burst; the right one then gets 429', async () => {
    const hash = await hashPassword('the-right-password');
    const gameDir = writeGame({ credentials: `username,password\nvictim,"${hash}"\nplayer1,password1\n` });
    const server = await fleet.start({ gameDir, backend, env: SLOW_BOX });
    fleet.secret('password', 'the-right-password');
    const began = Date.now();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => login(server.url, 'victim', `guess-${i}`, '203.0.113.5')));
    const judged = answers.filter((r) => r.status === 401).length;
    expect(answers.filter((r) => r.status !== 401 && r.status !== 429)).toEqual([]);
    expect(judged).toBeLessThanOrEqual(mostJudged(DEFAULT_LIMITS.loginUserAddress, began));
    // A slow box may have refilled a token since the last guess: the attacker spends it, then tries the right one.
    for (let i = 0; i < 5 && (await login(server.url, 'victim', `late-guess-${i}`, '203.0.113.5')).status !== 429; i++);
    const right = await login(server.url, 'victim', 'the-right-password', '203.0.113.5');
    expect(right.status).toBe(429);
    figures[`parallelLogins_${backend}`] = { sent: 100, judged, rightPasswordAfter: right.status };
  });

  it('200 classmates behind one address log in at once with argon2 passwords: all 200 in, although the address burst is 100', async () => {
    const hash = await hashPassword('class-password');
    const rows = Array.from({ length: 200 }, (_, i) => `pupil${i},"${hash}"`).join('\n');
    const gameDir = writeGame({ credentials: `username,password\n${rows}\n` });
    const server = await fleet.start({ gameDir, backend, env: SLOW_BOX });
    fleet.secret('password', 'class-password');
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => login(server.url, `pupil${i}`, 'class-password', '203.0.113.9')));
    expect(answers.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
    figures[`classroomLogins_${backend}`] = { sent: 200, admitted: answers.filter((r) => r.status === 200).length };
  });

  it('100 parallel flag guesses judge at most the burst; the right flag then gets 429', async () => {
    const server = await fleet.start({ backend });
    const a = await fleet.login(server.url, 1);
    const began = Date.now();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => a.submit(1, String(1000 + i))));
    const judged = answers.filter((r) => r.status === 200).length;
    expect(judged).toBeLessThanOrEqual(mostJudged(DEFAULT_LIMITS.submit, began));
    for (let i = 0; i < 5 && (await a.submit(1, String(2000 + i))).status !== 429; i++);
    const right = await a.submit(1, '26');
    expect(right.status).toBe(429);
    figures[`parallelFlags_${backend}`] = { sent: 100, judged, rightFlagAfter: right.status };
  });
});

describe('targeted lockout', () => {
  it('wrong passwords from one address do not lock the owner out from another; many addresses stay bounded', async () => {
    const server = await fleet.start({ env: { CTFG_TRUST_PROXY: '1' } });
    fleet.secret('password', 'password1');
    for (let i = 0; i < 12; i++) await login(server.url, 'player1', `guess-${i}`, '198.51.100.66');
    expect((await login(server.url, 'player1', 'password1', '198.51.100.66')).status).toBe(429);
    const owner = await login(server.url, 'player1', 'password1', '192.0.2.10');
    expect(owner.status).toBe(200);
    // Distributed guessing: each address gets its 10, the account as a whole at most 100.
    let judged = 0;
    for (let a = 0; a < 12; a++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => login(server.url, 'player2', `guess-${i}`, `10.9.${a}.1`)));
      judged += answers.filter((r) => r.status === 401).length;
    }
    expect(judged).toBeLessThanOrEqual(101);
    expect((await login(server.url, 'player2', 'password2', '10.9.200.1')).status).toBe(429);
    fleet.secret('password', 'password2');
    figures.lockout = { ownerFromElsewhere: owner.status, distributedJudged: judged };
  });
});


describe('author regexes that backtrack', () => {
  it('judges ^CTF\\{([a-z0-9]+_?)+\\}$ against a 34-character submission while /healthz keeps answering', async () => {
    const challenges = fixtureChallenges().map((c) => (c.id === 1 ? { ...c, flag: '^CTF\\{([a-z0-9]+_?)+\\}$', testflag: 'CTF{a_b}' } : c));
    const server = await fleet.start({ gameDir: writeGame({ challenges }) });
    const a = await fleet.login(server.url, 1);
    const evil = `CTF{${'a'.repeat(29)}!`;
    expect(evil).toHaveLength(34);
    const t0 = Date.now();
    let done = false;
    const submits = Promise.all(Array.from({ length: 3 }, () => a.submit(1, evil))).finally(() => (done = true));
    // /healthz polled all along the judging: its slowest answer is how long the loop was held.
    let slowestHealthMs = 0;
    while (!done) {
      const h0 = Date.now();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      slowestHealthMs = Math.max(slowestHealthMs, Date.now() - h0);
      await new Promise((r) => setTimeout(r, 20));
    }
    const answers = await submits;
    expect(answers.map((r) => r.body)).toEqual(Array.from({ length: 3 }, () => ({ result: 'incorrect' })));
    // A backtracking judge holds the loop 5.4 s per submission; generous for a loaded machine.
    expect(slowestHealthMs).toBeLessThan(3000);
    expect((await a.submit(1, 'CTF{ab_c9}')).body).toMatchObject({ result: 'correct' });
    figures.evilRegex = { submissionLength: evil.length, slowestHealthMs, judgeMs: Date.now() - t0 };
  });
});

/** Opens a socket; resolves to the socket once open, or to the HTTP status that refused it. */
function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    ws.once('error', () => resolve(-1));
  });
}

describe('sockets per player', () => {
  it('caps sockets per session (8) and per player (16) with 429 before the upgrade, and checks Origin', async () => {
    const server = await fleet.start();
    const tabs = await Promise.all([1, 2, 3].map(() => fleet.login(server.url, 1)));
    const [first, second, third] = tabs.map((t) => t.websocketUrl as string) as [string, string, string];
    const opened: WebSocket[] = [];
    const attempt = async (url: string, n: number): Promise<number[]> => {
      const results = await Promise.all(Array.from({ length: n }, () => openSocket(url)));
      for (const r of results) if (typeof r !== 'number') opened.push(r);
      return results.map((r) => (typeof r === 'number' ? r : 101));
    };
    // 100 parallel handshakes on one session: 8 open, the rest 429.
    const session = await attempt(first, 100);
    expect(session.filter((s) => s === 101)).toHaveLength(8);
    expect(session.filter((s) => s !== 101 && s !== 429)).toEqual([]);
    // Two more sessions of the same player: 8 more in all, then the player's cap.
    const more = [...(await attempt(second, 8)), ...(await attempt(third, 8))];
    expect(more.filter((s) => s === 101)).toHaveLength(8);
    // Another player is not affected.
    const other = await fleet.login(server.url, 2);
    expect(await attempt(other.websocketUrl as string, 1)).toEqual([101]);
    // Closing sockets frees their slots.
    for (const ws of opened.splice(0, 4)) ws.close();
    await new Promise((r) => setTimeout(r, 300));
    expect((await attempt(first, 4)).filter((s) => s === 101).length).toBeGreaterThanOrEqual(1);
    // A foreign page may not open a socket; the app's own origin may.
    const foreign = await openSocket(other.websocketUrl as string, { origin: 'https://evil.example' });
    expect(foreign).toBe(403);
    const own = await openSocket(other.websocketUrl as string, { origin: server.url });
    expect(typeof own).not.toBe('number');
    if (typeof own !== 'number') opened.push(own);
    for (const ws of opened) ws.close();
    figures.socketCaps = { perSessionOpened: session.filter((s) => s === 101).length, perPlayerOpened: 8 + more.filter((s) => s === 101).length, foreignOrigin: foreign };
  });
});

describe('sessions', () => {
  it('a player removed from credentials.csv loses their session at the next start', async () => {
    const gameDir = writeGame({ credentials: 'username,password\nplayer1,password1\nplayer2,password2\n' });
    const first = await fleet.start({ gameDir });
    const gone = await fleet.login(first.url, 2);
    const kept = await fleet.login(first.url, 1);
    await first.stop();
    fs.writeFileSync(path.join(gameDir, 'credentials.csv'), 'username,password\nplayer1,password1\n');
    const second = await fleet.start({ gameDir, dbDir: first.dbDir });
    const withCookie = (cookie: string | null): Client => Object.assign(new Client(second.url), { cookie });
    expect((await withCookie(gone.cookie).request('GET', '/api/me')).status).toBe(401);
    expect((await withCookie(kept.cookie).request('GET', '/api/me')).status).toBe(200);
    figures.removedPlayerSession = 401;
  });

  it('caps sessions per player at 10: the oldest ends', async () => {
    const server = await fleet.start();
    const clients = [];
    for (let i = 0; i < 11; i++) clients.push(await fleet.login(server.url, 1));
    expect((await clients[0]!.request('GET', '/api/me')).status).toBe(401);
    expect((await clients[1]!.request('GET', '/api/me')).status).toBe(200);
    expect((await clients[10]!.request('GET', '/api/me')).status).toBe(200);
  });
});

describe('look-alike and invisible names', () => {
  it('refuses every look-alike of the finding, with a reason', async () => {
    const server = await fleet.start({ env: { CTFG_RATE_SET_NAME: '100,1' } });
    const [a, b] = await Promise.all([fleet.login(server.url, 1), fleet.login(server.url, 2)]);
    expect((await a.request('POST', '/api/set-name', { name: 'Ada' })).status).toBe(200);
    const cases = ['\u0410da', 'Ada\u3164', 'Ad\u034Fa', 'Ada\uFE0F', 'A\u200Bda', '\u0430dmin', 'ad\u034Fmin', 'ADM\u0130N', '\u0455ystem', '\u3164\u3164', 'Z\u0301\u0302\u0303algo'];
    const answers: Record<string, number> = {};
    for (const name of cases) {
      const r = await b.request('POST', '/api/set-name', { name });
      answers[JSON.stringify(name)] = r.status;
      expect([400, 409], JSON.stringify(name)).toContain(r.status);
    }
    expect(answers[JSON.stringify('\u0410da')]).toBe(409);
    figures.lookAlikeNames = answers;
  });
});
