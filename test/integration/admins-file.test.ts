import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.js';
import type { AuditResponse } from '../../src/protocol/api.js';
import { CloseCode } from '../../src/protocol/messages.js';
import { Client, Stream } from '../helpers/client.js';
import { runCli, startServer, TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { eventGame } from './event-helpers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-0123456789';

async function gameWithAdmins(): Promise<string> {
  const dir = eventGame(null);
  fs.writeFileSync(path.join(dir, 'admins.csv'), `name,token\nAlice,${ALICE}\nBob,"${await hashPassword(BOB)}"\n`);
  return dir;
}

async function serve(dir: string, env: Record<string, string> = {}): Promise<TestServer> {
  const s = await startServer({ gameDir: dir, env: { CTFG_TRUST_PROXY: '1', ...env } });
  servers.push(s);
  return s;
}

const bearer = (token: string, address = '192.0.2.10'): Record<string, string> => ({ authorization: `Bearer ${token}`, 'x-forwarded-for': address });

async function auditEntries(base: string): Promise<AuditResponse['entries']> {
  const r = await new Client(base).request<AuditResponse>('GET', '/api/admin/audit?limit=500', undefined, bearer(TEST_TOKENS.admin));
  return r.body.entries;
}

describe('admins.csv (SPEC §8)', () => {
  it('names each organizer from the file, plain or hashed token; CTFG_ADMIN_TOKEN is audited as "token"', async () => {
    const s = await serve(await gameWithAdmins());
    const alice = new Client(s.url);
    // The login's own name is ignored: the file says who this is.
    expect((await alice.request('POST', '/api/admin/login', { token: ALICE, name: 'Mallory' })).status).toBe(204);
    const bob = new Client(s.url);
    expect((await bob.request('POST', '/api/admin/login', { token: BOB })).status).toBe(204);
    const env = new Client(s.url);
    expect((await env.request('POST', '/api/admin/login', { token: TEST_TOKENS.admin, name: 'Zed' })).status).toBe(204);
    expect((await new Client(s.url).request('POST', '/api/admin/login', { token: 'not-a-token-at-all', name: 'Eve' })).status).toBe(401);
    // Bearer with the hashed token: a script acting as Bob.
    const posted = await new Client(s.url).request('POST', '/api/admin/announcements', { text: 'from a script' }, bearer(BOB));
    expect(posted.status).toBe(201);
    const entries = await auditEntries(s.url);
    const seen = entries.map((e) => [e.admin, e.action]);
    expect(seen).toEqual(expect.arrayContaining([['Alice', 'login'], ['Bob', 'login'], ['token', 'login'], ['Eve', 'login_failed'], ['Bob', 'announce']]));
    expect(seen.some(([who]) => who === 'Mallory' || who === 'Zed')).toBe(false);
    expect(JSON.stringify(entries)).not.toContain(BOB);
  });

  it('hashed tokens: parallel guesses judge at most the burst, parallel right tokens all pass', async () => {
    const s = await serve(await gameWithAdmins());
    const right = await Promise.all(Array.from({ length: 30 }, () => new Client(s.url).request('GET', '/api/admin/overview', undefined, bearer(BOB, '192.0.2.20'))));
    expect(right.map((r) => r.status).filter((status) => status !== 200)).toEqual([]);
    const guesses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => new Client(s.url).request('GET', '/api/admin/overview', undefined, bearer(`guess-${i}-0123456789`, '192.0.2.21'))),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(10);
    // The address is spent: even the right token is refused unjudged.
    expect((await new Client(s.url).request('GET', '/api/admin/overview', undefined, bearer(BOB, '192.0.2.21'))).status).toBe(429);
    // The same race through the console login: at most the burst judged and audited as failed.
    const logins = await Promise.all(
      Array.from({ length: 60 }, (_, i) => new Client(s.url).request('POST', '/api/admin/login', { token: `guess-${i}-0123456789`, name: 'Eve' }, { 'x-forwarded-for': '192.0.2.22' })),
    );
    const judged = logins.filter((r) => r.status === 401).length;
    expect(logins.filter((r) => r.status !== 401 && r.status !== 429)).toEqual([]);
    expect(judged).toBeLessThanOrEqual(10);
    expect((await auditEntries(s.url)).filter((e) => e.action === 'login_failed' && e.address === '192.0.2.22')).toHaveLength(judged);
  });

  it('a reload that removes an organizer ends their console session; without CTFG_ADMIN_TOKEN the file alone configures admin', async () => {
    const dir = await gameWithAdmins();
    const s = await serve(dir, { CTFG_ADMIN_TOKEN: '' });
    const alice = new Client(s.url);
    expect((await alice.request('POST', '/api/admin/login', { token: ALICE })).status).toBe(204);
    expect((await alice.request('GET', '/api/admin/overview')).status).toBe(200);
    expect((await new Client(s.url).request('POST', '/api/admin/login', { token: TEST_TOKENS.admin, name: 'Zed' })).status).toBe(401);
    // Alice's live views: her console's socket, a script's Bearer socket, and a Bearer stream URL not used yet.
    const streamUrl = async (client: Client, headers?: Record<string, string>): Promise<string> =>
      (await client.request<{ websocket_url: string }>('GET', '/api/admin/stream-url', undefined, headers)).body.websocket_url;
    const consoleSocket = await Stream.open(await streamUrl(alice));
    const scriptSocket = await Stream.open(await streamUrl(new Client(s.url), bearer(ALICE, '192.0.2.32')));
    const unusedUrl = await streamUrl(new Client(s.url), bearer(ALICE, '192.0.2.33'));
    fs.writeFileSync(path.join(dir, 'admins.csv'), `name,token\nCarol,carol-token-0123456789\n`);
    const reload = await new Client(s.url).request<{ changes: string[] }>('POST', '/api/admin/reload', undefined, bearer('carol-token-0123456789'));
    expect(reload.status).toBe(401);
    const applied = await new Client(s.url).request<{ changes: string[] }>('POST', '/api/admin/reload', undefined, bearer(ALICE, '192.0.2.30'));
    expect(applied.status).toBe(200);
    expect(applied.body.changes).toEqual(expect.arrayContaining(['organizers added: Carol', expect.stringContaining('organizers removed')]));
    expect((await alice.request('GET', '/api/admin/overview')).status).toBe(401);
    expect(await consoleSocket.waitClose()).toBe(CloseCode.loggedOut);
    expect(await scriptSocket.waitClose()).toBe(CloseCode.loggedOut);
    await expect(Stream.open(unusedUrl)).rejects.toThrow('upgrade refused: 401');
    expect((await new Client(s.url).request('GET', '/api/admin/overview', undefined, bearer('carol-token-0123456789', '192.0.2.31'))).status).toBe(200);
  });

  it('ctfg validate reports every bad row of admins.csv, never a token', async () => {
    const dir = eventGame(null);
    fs.writeFileSync(path.join(dir, 'admins.csv'), 'name,token\nAlice,short\nBob,bob-token-0123456789\nbob,other-token-0123456789\ntoken,x-token-0123456789\nCarol,bob-token-0123456789\n');
    const r = await runCli(['validate', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toContain('line 2: token for "Alice" must be at least 12 characters');
    expect(r.stderr + r.stdout).toContain('line 4: duplicate name "bob" (first on line 3)');
    expect(r.stderr + r.stdout).toContain('line 5: the name "token" is kept for CTFG_ADMIN_TOKEN');
    expect(r.stderr + r.stdout).toContain('line 6: "Carol" has the same token as line 3');
    expect(r.stderr + r.stdout).not.toContain('bob-token-0123456789');
  });
});
