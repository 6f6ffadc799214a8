/**
 * Issue 13, findings 4, 5, 9 and 11: proxy trust that a client cannot fool,
 * /metrics guessing, slow requests, and the smaller HTTP hardening points.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/client.js';
import { REPO_ROOT, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { Fleet } from './helpers/fleet.js';
import { rawExchange } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('http-hardening', figures);
  await fleet.finish('http-hardening');
});

/** Status of a wrong award token sent with the given forwarding header. */
function wrongAward(server: TestServer, forwardedFor: string): Promise<number> {
  return new Client(server.url)
    .request('POST', '/api/award', { username: 'player1', id: 1 }, { authorization: 'wrong-token', 'x-forwarded-for': forwardedFor })
    .then((r) => r.status);
}

/** Sends `head` (and `body`), then waits until the server closes; resolves to the ms it took and what it answered. */
function holdOpen(port: number, head: string, body: string, limitMs: number): Promise<{ ms: number; answer: string } | 'still open'> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('still open');
    }, limitMs);
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - t0, answer });
    });
    socket.write(head + body);
  });
}

describe('proxy trust (finding 4)', () => {
  it('takes the address the trusted proxy saw: rotating the client part of X-Forwarded-For does not reset a limit', async () => {
    const byHops = await fleet.start({ env: { CTFG_TRUST_PROXY: '1', CTFG_RATE_TOKEN_FAILURES: '3,60' } });
    const byList = await fleet.start({ env: { CTFG_TRUST_PROXY: '127.0.0.1', CTFG_RATE_TOKEN_FAILURES: '3,60' } });
    const rotate = async (server: TestServer): Promise<number[]> => {
      const out: number[] = [];
      // The proxy appends what it saw (10.9.9.9); the client writes anything before it.
      for (let i = 0; i < 6; i++) out.push(await wrongAward(server, `198.51.100.${i + 1}, 10.9.9.9`));
      return out;
    };
    const hops = await rotate(byHops);
    const list = await rotate(byList);
    // Another address behind the same proxy is not affected.
    const other = await wrongAward(byHops, '198.51.100.1, 10.9.9.10');
    figures.proxyTrust = { hops, list, otherAddress: other };
    expect(hops).toEqual([401, 401, 401, 429, 429, 429]);
    expect(list).toEqual([401, 401, 401, 429, 429, 429]);
    expect(other).toBe(401);
  });
});

describe('/metrics (finding 5)', () => {
  it('limits wrong Bearer tokens per address and grants loopback only to requests that were not proxied', async () => {
    const server = await fleet.start({ env: { CTFG_TRUST_PROXY: '1', CTFG_RATE_TOKEN_FAILURES: '3,60' } });
    const get = (headers: Record<string, string>): Promise<number> => fetch(`${server.url}/metrics`, { headers }).then((r) => r.status);
    const remote = { 'x-forwarded-for': '203.0.113.50' };
    const guesses: number[] = [];
    for (let i = 0; i < 5; i++) guesses.push(await get({ ...remote, authorization: `Bearer guess-${i}` }));
    // Once limited, even the right token waits: a guess cannot be confirmed by a different answer.
    const rightWhileLimited = await get({ ...remote, authorization: `Bearer ${TEST_TOKENS.admin}` });
    const proxied = {
      forwarded: await get({ forwarded: 'for=127.0.0.1' }),
      xRealIp: await get({ 'x-real-ip': '127.0.0.1' }),
      emptyXff: await get({ 'x-forwarded-for': '' }),
    };
    const plainLoopback = await get({});
    figures.metrics = { guesses, rightWhileLimited, proxied, plainLoopback };
    expect(guesses).toEqual([401, 401, 401, 429, 429]);
    expect(rightWhileLimited).toBe(429);
    expect(proxied).toEqual({ forwarded: 401, xRealIp: 401, emptyXff: 401 });
    expect(plainLoopback).toBe(200);
  });
});

describe('slow requests (finding 9)', () => {
  it('closes a POST whose body never finishes, and a request whose headers never finish', async () => {
    const server = await fleet.start({ env: { CTFG_REQUEST_TIMEOUT: '2', CTFG_HEADERS_TIMEOUT: '1' } });
    const head = `POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`;
    const halfBody = await holdOpen(server.port, head, '{"username":"player1",', 12_000);
    const halfHeaders = await holdOpen(server.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `, '', 12_000);
    figures.slowRequests = { halfBody, halfHeaders };
    expect(halfBody).not.toBe('still open');
    expect(halfHeaders).not.toBe('still open');
    if (halfBody !== 'still open') {
      expect(halfBody.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(halfBody.ms).toBeLessThan(8_000);
    }
    // The server still answers afterwards.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('smaller ones (finding 11)', () => {
  it('limits CSP connect-src and img-src to the app origin (plus the configured websocket URL)', async () => {
    const plain = await fleet.start();
    const configured = await fleet.start({ args: ['-w', 'wss://live.example.org/scorestream'] });
    const csp = async (server: TestServer): Promise<Record<string, string>> => {
      const header = (await fetch(`${server.url}/healthz`)).headers.get('content-security-policy') ?? '';
      return Object.fromEntries(header.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k ?? '', v.join(' ')]));
    };
    const a = await csp(plain);
    const b = await csp(configured);
    figures.csp = { plain: a, configured: b };
    expect(a['connect-src']).toBe("'self'");
    expect(a['img-src']).toBe("'self' data: blob:");
    expect(b['connect-src']).toBe("'self' wss://live.example.org");
    expect(b['img-src']).toBe("'self' data: blob:");
  });

  it('compares Origin with the scheme, answers bad URLs with {"error": code}, and logs failures with the address', async () => {
    const server = await fleet.start({ env: { CTFG_TRUST_PROXY: '1' } });
    const post = (origin: string, extra: Record<string, string> = {}): Promise<number> =>
      fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, ...extra },
        body: JSON.stringify({ username: 'player1', password: 'wrong-password-here' }),
      }).then((r) => r.status);
    const origin = new URL(server.url);
    const origins = {
      same: await post(`http://${origin.host}`),
      otherScheme: await post(`https://${origin.host}`),
      httpsBehindProxy: await post(`https://${origin.host}`, { 'x-forwarded-proto': 'https' }),
    };
    const badUrls: Record<string, { status: number; body: string }> = {};
    for (const p of ['/%', '/api/%E0%A4%A', '/assets/%ZZ']) {
      const r = await rawExchange(server.port, `GET ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      badUrls[p] = { status: r.status, body: r.text };
    }
    await fetch(`${server.url}/admin/reset?confirm=yes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.77' },
      body: JSON.stringify({ token: 'wrong-admin-token-here' }),
    });
    await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.78' },
      body: JSON.stringify({ username: 'player2', password: 'wrong-password-two' }),
    });
    await new Promise((r) => setTimeout(r, 200));
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const resetLog = lines.find((l) => l.address === '192.0.2.77');
    const loginLog = lines.find((l) => l.address === '192.0.2.78');
    figures.smaller = { origins, badUrls, resetLog, loginLog };
    expect(origins).toEqual({ same: 401, otherScheme: 403, httpsBehindProxy: 401 });
    for (const [p, r] of Object.entries(badUrls)) {
      expect(r.status, p).toBe(400);
      expect(JSON.parse(r.body), p).toEqual({ error: 'bad_request' });
    }
    expect(resetLog?.msg).toMatch(/reset/);
    expect(loginLog?.msg).toMatch(/login/);
    expect(server.output()).not.toContain('wrong-admin-token-here');
    expect(server.output()).not.toContain('wrong-password-two');
  });

  it('ctfg hash-password prints a value ready for a CSV field (quoted)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/main.ts'), 'hash-password', '--scrypt'], {
      input: 'secret',
      encoding: 'utf8',
    }).trim();
    figures.hashPassword = out.slice(0, 20);
    expect(out).toMatch(/^"\$scrypt\$[^"]+"$/);
  });
});
