import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKEND } from '../helpers/backend.js';
import { Client, Stream } from '../helpers/client.js';
import { fixtureChallenges, writeGame } from '../helpers/game.js';
import { FIXTURE_GAME, runCli, startServer, tempDir, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => (s.process.exitCode === null ? s.stop() : null)));
});

describe('command line', () => {
  it('prints help and version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--port', '--host', '--game-dir', '--dbdir', '--developer-mode', '--websocket-url', '--ws-keepalive-interval', '--ws-ping-timeout', 'init']) {
      expect(help.stdout).toContain(flag);
    }
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect((await runCli(['-p', 'abc'])).stderr).toContain('--port = "abc": must be a whole number from 0 to 65535');
  });

  it('init writes a playable sample game and never overwrites', async () => {
    const dir = path.join(tempDir(), 'game');
    const first = await runCli(['init', dir]);
    expect(first.code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'challenges.json'))).toBe(true);
    const again = await runCli(['init', dir]);
    expect(again.code).not.toBe(0);
    expect((await runCli(['validate', dir])).stdout).toMatch(/^OK: \d+ challenges/);
    const s = await startServer({ gameDir: dir });
    servers.push(s);
    const [user, pass] = fs.readFileSync(path.join(dir, 'credentials.csv'), 'utf8').trim().split('\n').filter((l) => !l.startsWith('username'))[0]!.split(',');
    const c = new Client(s.url);
    expect((await c.login(user!.trim(), pass!.trim())).status).toBe(200);
  });

  it('validates the fixture game', async () => {
    const r = await runCli(['validate', FIXTURE_GAME]);
    expect(r.stdout).toContain('OK: 15 challenges, 500 players, 2 player clusters, banner banner.png');
  });

  it('refuses to start on a broken game, naming every problem', async () => {
    const broken = fixtureChallenges();
    broken[0] = { ...broken[0], flag: '([' };
    broken[1] = { ...broken[1], testflag: 'not it' };
    broken[2] = { ...broken[2], requirements: [404] };
    broken.push({ ...broken[3], points: -5 });
    const dir = writeGame({ challenges: broken, credentials: 'a,b\na,c\n' });
    const r = await runCli(['-g', dir, '-p', '0', '--host', '127.0.0.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/challenge 1.*flag/);
    expect(r.stderr).toMatch(/challenge 2.*testflag/);
    expect(r.stderr).toMatch(/challenge 3.*requirements/);
    expect(r.stderr).toMatch(/challenge 4/);
    expect(r.stderr).toMatch(/credentials\.csv/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('explains a missing or read-only database folder and exits non-zero', async () => {
    const missing = await runCli(['-g', FIXTURE_GAME, '-b', '/nonexistent/ctfg-db', '-p', '0']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });
});

describe('signed display name (@SIGNED_DISPLAYNAME@)', () => {
  const SIGN_KEY = 'sign-key-for-the-cli-test-0123';
  const signedGame = (): string => {
    const challenges = fixtureChallenges();
    challenges[0] = { ...challenges[0], description: 'Your id: @SIGNED_DISPLAYNAME@' };
    return writeGame({ challenges });
  };

  it('is refused at start and by validate without CTFG_SIGN_KEY, naming the challenge', async () => {
    const dir = signedGame();
    const r = await runCli(['-g', dir, '-b', tempDir('ctfg-db-'), '-p', '0', '--host', '127.0.0.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/challenge 1.*@SIGNED_DISPLAYNAME@.*CTFG_SIGN_KEY/);
    const v = await runCli(['validate', dir]);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/challenge 1.*@SIGNED_DISPLAYNAME@/);
    expect((await runCli(['validate', dir], { CTFG_SIGN_KEY: SIGN_KEY })).stdout).toMatch(/^OK: /);
  });

  it('renders a value that `ctfg verify-name` proves, and refuses an edited one', async () => {
    const s = await startServer({ gameDir: signedGame(), env: { CTFG_SIGN_KEY: SIGN_KEY } });
    servers.push(s);
    const c = new Client(s.url);
    await c.enter('player3', 'password3', 'Zoë Signed');
    const list = await c.request<Array<{ id: number; description: string }>>('GET', '/api/challenges');
    const value = /Your id: (\S+)/.exec(list.body[0]?.description ?? '')?.[1] ?? '';
    // The user id the store gave player3 (SQLite: 3; PostgreSQL's sequence may differ).
    const id = Number(value.split('.')[0]);
    expect(Number.isInteger(id) && id > 0).toBe(true);
    const ok = await runCli(['verify-name', value], { CTFG_SIGN_KEY: SIGN_KEY });
    expect(ok).toMatchObject({ code: 0, stdout: `${id}\tZoë Signed\n` });
    expect((await runCli(['sign-name', String(id), 'Zoë Signed', '--key', SIGN_KEY])).stdout.trim()).toBe(value);
    const forged = value.replace(/^\d+\./, `${id + 1}.`);
    const bad = await runCli(['verify-name', forged, '--key', SIGN_KEY]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not genuine');
    expect((await runCli(['verify-name', value])).code).toBe(2); // no key anywhere
  });
});

describe('developer mode', () => {
  it('re-reads challenges.json and keeps the last good set on a bad edit', async () => {
    const dir = writeGame();
    const s = await startServer({ gameDir: dir, args: ['-d'] });
    servers.push(s);
    const c = new Client(s.url);
    await c.enter('player1', 'password1', 'Dev');
    const challenges = fixtureChallenges();
    challenges[0] = { ...challenges[0], title: 'Renamed @USERNAME@', description: 'Hi @USERNAME@ (#@USERID@) aka @DISPLAYNAME@ on @PLAYER_CLUSTER@' };
    fs.writeFileSync(path.join(dir, 'challenges.json'), JSON.stringify(challenges));
    let list = await c.request<Array<{ id: number; title: string; description: string }>>('GET', '/api/challenges');
    expect(list.body[0]?.description).toBe('Hi player1 (#1) aka Dev on ');
    fs.writeFileSync(path.join(dir, 'challenges.json'), '[{"id": "broken"');
    list = await c.request('GET', '/api/challenges');
    expect(list.status).toBe(200);
    expect(list.body[0]?.title).toBe('Renamed @USERNAME@');
    // The server logs before it answers, but its stdout may reach us after the answer.
    await expect.poll(() => s.output(), { timeout: 5000 }).toContain('keeping the last good set');
  });
});

describe('lifecycle', () => {
  it('stops gracefully on SIGTERM: sockets get 1001, the database is checkpointed', async () => {
    const s = await startServer();
    const c = new Client(s.url);
    await c.enter('player1', 'password1', 'Leaver');
    await c.submit(1, '26');
    const stream = await Stream.open(c.websocketUrl as string);
    await stream.waitFor(() => true);
    const closed = stream.waitClose(10_000);
    expect(await s.stop()).toBe(0);
    expect(await closed).toBe(1001);
    expect(s.output()).toContain('database checkpointed and closed');
    if (BACKEND === 'sqlite') {
      const wal = path.join(s.dbDir, 'events.db-wal');
      expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
    }
  });

  it('drops sockets that stop answering pings', async () => {
    const s = await startServer({ args: ['-k', '1', '-t', '2'] });
    servers.push(s);
    const c = new Client(s.url);
    await c.enter('player1', 'password1', 'Zombie');
    const stream = await Stream.open(c.websocketUrl as string);
    await stream.waitFor(() => true);
    const healthy = await Stream.open(c.websocketUrl as string);
    // Stop reading: pings are never seen, so no pong goes back.
    (stream.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    await new Promise((r) => setTimeout(r, 4500));
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/ctfg_socket_drops_total\{reason="timeout"\} 1/);
    expect(healthy.closeCode).toBeNull();
    healthy.close();
  });
});
