/**
 * Information leaks: outside developer mode no response carries a stack
 * trace or an internal message, even when the database itself fails; and
 * the logs never contain a password, token, session id or flag, whatever a
 * client sends and at any log level.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { startServer as startInProcess, type RunningServer } from '../../src/server.js';
import { settingsOf } from '../../src/settings/settings.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { Client, Stream, refusedUpgrade } from '../helpers/client.js';
import { fixtureChallenges, writeGame } from '../helpers/game.js';
import { FIXTURE_GAME, tempDir } from '../helpers/server.js';
import { Fleet, cookieValue, streamToken } from './helpers/fleet.js';
import { rawRequest } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('information-leaks', figures);
  await fleet.finish('leaks');
});

const INTERNALS = [/\n\s+at\s/, /\bat .+\(.+:\d+:\d+\)/, /node_modules/, /\/work\//, /\/var\/lib/, /\.ts:\d+/, /SQLITE/, /disk I\/O/, /\b(TypeError|ReferenceError|RangeError|SyntaxError)\b/];

/** The store methods made to fail, with a message full of internals. */
const FAILING = ['recordSolve', 'purchaseHint', 'setDisplayName', 'createSession', 'getSession', 'reset', 'checkWritable'] as const;

/**
 * Makes every SqliteStore in this process throw from the methods above while
 * `on()` is in effect: the real server, composed as in production, meeting a
 * database that fails underneath it.
 */
function breakStore(): { on(): void; off(): void; restore(): void } {
  // Reaching the class's methods to wrap them: the server takes no store injection.
  const proto = SqliteStore.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = new Map(FAILING.map((m) => [m, proto[m] as (...args: unknown[]) => Promise<unknown>]));
  let failing = false;
  for (const m of FAILING) {
    const original = originals.get(m) as (...args: unknown[]) => Promise<unknown>;
    proto[m] = function (this: unknown, ...args: unknown[]) {
      if (failing) {
        const err = new Error(`SQLITE_IOERR: disk I/O error writing /var/lib/ctfg/events.db in ${m}`) as Error & { code: string };
        err.code = 'SQLITE_IOERR';
        return Promise.reject(err);
      }
      return original.apply(this, args);
    };
  }
  return {
    on: () => (failing = true),
    off: () => (failing = false),
    restore: () => {
      for (const [m, f] of originals) proto[m] = f;
    },
  };
}

async function inProcess(developerMode: boolean, log: string[]): Promise<RunningServer> {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      log.push(chunk.toString());
      done();
    },
  });
  const settings = settingsOf(
    { port: '0', host: '127.0.0.1', gameDir: FIXTURE_GAME, dbDir: tempDir('ctfg-res-leak-'), developerMode: developerMode },
    { CTFG_API_TOKEN: 'leak-test-api-token-0123456789', CTFG_ADMIN_TOKEN: 'leak-test-admin-token-0123456789' },
  );
  return startInProcess(settings, createLogger('debug', sink));
}

describe('responses when the database fails', () => {
  it('answer a bare internal_error outside developer mode, and details only in developer mode', async () => {
    const store = breakStore();
    const outcomes: Record<string, Record<string, unknown>> = {};
    try {
      for (const developer of [false, true]) {
        const log: string[] = [];
        const server = await inProcess(developer, log);
        const base = server.url.replace('localhost', '127.0.0.1');
        const a = new Client(base);
        await a.login('player1', 'password1');
        store.on();
        const award = { authorization: 'leak-test-api-token-0123456789' };
        const replies = {
          submit: await a.submit(1, '26'),
          hint: await a.hint(1, 1),
          setName: await a.request('POST', '/api/set-name', { name: 'Broken Disk' }),
          award: await a.request('POST', '/api/award', { username: 'player2', id: 1 }, award),
          login: await new Client(base).request('POST', '/api/login', { username: 'player2', password: 'password2' }),
          meUnknownSession: await new Client(base).request('GET', '/api/me', undefined, { cookie: `ctfg_session=${randomBytes(32).toString('base64url')}` }),
          reset: await new Client(base).request('POST', '/admin/reset?confirm=yes', { token: 'leak-test-admin-token-0123456789' }),
          readyz: await new Client(base).request('GET', '/readyz'),
        };
        const upgrade = await refusedUpgrade(`${base.replace('http', 'ws')}/scorestream?token=${'x'.repeat(40)}.${'y'.repeat(43)}`);
        store.off();
        const mode = developer ? 'developer' : 'production';
        outcomes[mode] = Object.fromEntries(Object.entries(replies).map(([k, r]) => [k, r.status]));
        outcomes[mode].scorestreamUpgrade = upgrade;
        for (const [name, r] of Object.entries(replies)) {
          const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
          if (name === 'readyz') {
            expect(r.status).toBe(503);
            expect(r.body).toMatchObject({ checks: { database: 'not writable' } });
          } else {
            expect(r.status, name).toBe(500);
          }
          if (!developer) {
            if (name !== 'readyz') expect(r.body, name).toEqual({ error: 'internal_error' });
            for (const p of INTERNALS) expect(text, `${name} ${p}`).not.toMatch(p);
          }
        }
        if (developer) {
          // The contrast: developer mode does show what went wrong.
          expect(JSON.stringify(replies.submit.body)).toMatch(/disk I\/O error/);
        }
        // The failure is in the log, for the operator.
        expect(log.join('')).toMatch(/disk I\/O error/);
        await server.stop();
      }
    } finally {
      store.restore();
    }
    figures.databaseFailure = outcomes;
  });

  it('never answers with internals to malformed requests', async () => {
    const server = await fleet.start();
    const c = new Client(server.url);
    await c.login('player1', 'password1');
    fleet.secret('password', 'password1');
    fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
    const cookie = c.cookie as string;
    const cases: Array<[string, Parameters<typeof rawRequest>[1]]> = [
      ['invalid json', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json' }, body: '{"id":1,"flag":' }],
      ['json with a trailing comma', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json' }, body: '{"id":1,}' }],
      ['body too large', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json' }, body: `{"id":1,"flag":"${'x'.repeat(40_000)}"}` }],
      ['unsupported media type', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/xml' }, body: '<id>1</id>' }],
      ['wrong types', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json' }, body: '{"id":{"$gt":0},"flag":["a"]}' }],
      ['prototype pollution', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json' }, body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"id":1,"flag":"x"}' }],
      ['invalid utf-8', { method: 'POST', path: '/api/set-name', headers: { cookie, 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]) }],
      ['lone surrogate', { method: 'POST', path: '/api/set-name', headers: { cookie, 'content-type': 'application/json' }, body: '{"name":"\\ud800\\udfff\\ud800"}' }],
      ['deep nesting', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json' }, body: `${'['.repeat(5000)}${']'.repeat(5000)}` }],
      ['huge number', { method: 'POST', path: '/api/hint', headers: { cookie, 'content-type': 'application/json' }, body: '{"id":1e999,"hint_id":-1e999}' }],
      ['bad percent-encoding', { path: '/api/me?x=%E0%A4%A', headers: { cookie } }],
      ['bad path encoding', { path: '/%E0%A4%A' }],
      ['unknown route', { path: '/api/does-not-exist' }],
      ['unknown method', { method: 'PATCH', path: '/api/submit', headers: { cookie } }],
      ['empty json body', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json' }, body: '' }],
      ['form to json endpoint', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=1&flag=26' }],
      ['bad header bytes', { path: '/api/me', headers: { cookie, 'x-odd': 'a\u0001b' } }],
      ['huge header', { path: '/api/me', headers: { cookie, 'x-huge': 'h'.repeat(70_000) } }],
      ['gzip claimed, not gzip', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '{"id":1,"flag":"x"}' }],
      ['chunked garbage', { method: 'POST', path: '/api/submit', headers: { cookie, 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: 'zz\r\nnot-a-chunk\r\n0\r\n\r\n' }],
    ];
    const statuses: Record<string, number> = {};
    for (const [name, req] of cases) {
      const res = await rawRequest(server.port, req).catch((err: Error) => err);
      if (res instanceof Error) {
        // A connection the server closed on a request it could not parse: no bytes, no leak.
        statuses[name] = 0;
        continue;
      }
      statuses[name] = res.status;
      // A clear 4xx; an odd but harmless query string is ignored, and a form body is accepted like JSON (200).
      expect(res.status, name).toBeLessThan(500);
      // Content-Encoding is not interpreted: the body is read as what it is.
      if (!['bad percent-encoding', 'form to json endpoint', 'gzip claimed, not gzip', 'prototype pollution', 'lone surrogate'].includes(name)) {
        expect(res.status, name).toBeGreaterThanOrEqual(400);
      }
      for (const p of INTERNALS) expect(res.text, `${name} ${p}`).not.toMatch(p);
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    figures.malformedRequests = statuses;
  });
});

describe('secrets in logs', () => {
  it('logs no password, token, session id or flag, at trace level in developer mode and at info', async () => {
    const tag = randomBytes(6).toString('hex');
    const password = (n: number): string => `pw-${tag}-${n}`;
    const flag = `CTF{leak-${tag}}`;
    const wrongFlag = `CTF{wrong-${tag}}`;
    const apiToken = `api-${tag}-${randomBytes(12).toString('hex')}`;
    const adminToken = `admin-${tag}-${randomBytes(12).toString('hex')}`;
    const challenges = fixtureChallenges().map((c) => (c.id === 1 ? { ...c, flag: `^CTF\\{leak-${tag}\\}$`, testflag: flag } : c));
    const credentials = `username,password\n${Array.from({ length: 5 }, (_, i) => `user${i + 1},${password(i + 1)}`).join('\n')}\n`;
    const gameDir = writeGame({ challenges, credentials });
    for (let i = 1; i <= 5; i++) fleet.secret('password', password(i));
    for (const s of [flag, wrongFlag]) fleet.secret('flag', s);
    fleet.secret('password', `wrong-${tag}`);
    fleet.secret('api-token', `wrong-api-${tag}`);
    fleet.secret('admin-token', `wrong-admin-${tag}`);
    const modes: Array<{ args: string[]; level: string }> = [
      { args: ['-d'], level: 'trace' },
      { args: [], level: 'info' },
    ];
    let actions = 0;
    for (const mode of modes) {
      const server = await fleet.start({ gameDir, args: mode.args, env: { CTFG_API_TOKEN: apiToken, CTFG_ADMIN_TOKEN: adminToken, CTFG_LOG_LEVEL: mode.level } });
      const c = new Client(server.url);
      const act = async <T>(p: Promise<T>): Promise<T> => {
        actions++;
        return p;
      };
      await act(c.login('user1', `wrong-${tag}`));
      await act(c.login('nobody', password(1)));
      await act(c.login('user1', password(1)));
      fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
      fleet.secret('stream-token', streamToken(c.websocketUrl ?? ''));
      await act(c.request('POST', '/api/set-name', { name: `Leaky ${tag.slice(0, 4)}` }));
      await act(c.submit(1, wrongFlag));
      await act(c.submit(1, ` ${flag} `));
      await act(c.hint(2, 1));
      // Secrets where they do not belong: in the query string, in odd headers, in a body that fails to parse.
      await act(c.request('GET', `/api/me?token=${streamToken(c.websocketUrl ?? '')}&password=${password(1)}&flag=${encodeURIComponent(flag)}`));
      await act(c.request('POST', '/api/submit', `{"id":1,"flag":"${flag}"`, { 'content-type': 'application/json' }));
      await act(c.request('POST', '/api/login', `username=user2&password=${password(2)}`, { 'content-type': 'text/plain' }));
      await act(c.request('GET', '/api/challenges', undefined, { 'x-api-key': apiToken, referer: `http://x/?token=${adminToken}` }));
      const judge = new Client(server.url);
      await act(judge.request('POST', '/api/award', { username: 'user2', id: 1 }, { authorization: `Bearer ${apiToken}` }));
      await act(judge.request('POST', '/api/award', { username: 'user2', id: 2 }, { authorization: `wrong-api-${tag}` }));
      await act(fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${adminToken}`, 'x-forwarded-for': '203.0.113.1' } }));
      const stream = await act(Stream.open(`${c.websocketUrl as string}&since=0`));
      await stream.waitFor(() => true);
      stream.close();
      await act(refusedUpgrade(`${c.websocketUrl as string}x`));
      const other = new Client(server.url);
      await act(other.login('user3', password(3)));
      fleet.secret('session-cookie', cookieValue(other.cookie ?? ''));
      await act(other.request('POST', '/api/logout'));
      await act(fetch(`${server.url}/admin/reset`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=wrong-admin-${tag}&confirm=yes` }));
      await act(fetch(`${server.url}/admin/reset?confirm=yes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: adminToken }) }));
      await act(c.login('user4', password(4)));
      fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
      fleet.secret('stream-token', streamToken(c.websocketUrl ?? ''));
      await server.stop();
    }
    const report = fleet.audit();
    figures.logs = { actions, logBytes: report.logBytes, secretsChecked: report.secretsChecked, byKind: report.byKind, leaks: report.leaks.length };
    expect(report.leaks.map((l) => `${l.kind}: …${l.context.slice(-160)}`)).toEqual([]);
  });
});
