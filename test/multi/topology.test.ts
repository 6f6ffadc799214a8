/**
 * Topology: PostgreSQL without Redis is one instance, guarded by an advisory
 * lock; instances with Redis share the database. Also every libpq URL form.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseFor, serviceUrls } from '../helpers/backend.js';
import { FIXTURE_GAME, runCli, startServer, tempDir, type TestServer } from '../helpers/server.js';

const REFUSED = 'another ctfg instance is using this database; run every instance with --redis';
const running: TestServer[] = [];
afterAll(async () => {
  await Promise.all(running.map((s) => (s.process.exitCode === null ? s.stop() : null)));
});

async function instance(database: string, withRedis: boolean): Promise<TestServer> {
  const args = ['--database', database, ...(withRedis ? ['--redis', serviceUrls().redis] : [])];
  const s = await startServer({ backend: 'sqlite', args, env: { CTFG_REDIS_PREFIX: `topo${randomUUID().slice(0, 8)}` } });
  running.push(s);
  return s;
}

async function refusedStart(database: string, withRedis: boolean, port = '0'): Promise<string> {
  const args = ['-g', FIXTURE_GAME, '-b', tempDir('ctfg-topo-'), '--host', '127.0.0.1', '-p', port, '--database', database];
  const r = await runCli([...args, ...(withRedis ? ['--redis', serviceUrls().redis] : [])]);
  expect(r.code).toBe(1);
  return r.stderr;
}

describe('PostgreSQL without Redis', () => {
  it('refuses a second instance, and one with Redis, while the first runs', async () => {
    const database = await databaseFor(randomUUID());
    const first = await instance(database, false);
    expect(await refusedStart(database, false)).toContain(REFUSED);
    expect(await refusedStart(database, true)).toContain(REFUSED);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect(await first.stop()).toBe(0);
    const next = await instance(database, false);
    expect(await next.stop()).toBe(0);
  });

  it('releases the lock when a start fails after opening the database', async () => {
    const database = await databaseFor(randomUUID());
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const stderr = await refusedStart(database, false, String((blocker.address() as net.AddressInfo).port));
      expect(stderr).toContain('EADDRINUSE');
      expect(stderr).not.toContain('open handles');
    } finally {
      blocker.close();
    }
    expect(await (await instance(database, false)).stop()).toBe(0);
  });
});

describe('PostgreSQL with Redis', () => {
  it('runs two instances on one database, and refuses a lone one beside them', async () => {
    const database = await databaseFor(randomUUID());
    const [a, b] = await Promise.all([instance(database, true), instance(database, true)]);
    expect((await fetch(`${a!.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${b!.url}/readyz`)).status).toBe(200);
    expect(await refusedStart(database, false)).toContain(REFUSED);
    await Promise.all([a!.stop(), b!.stop()]);
  });
});

describe('libpq URL forms', () => {
  const tcp = new URL(serviceUrls().postgres);
  const socketDir = process.env.CTFG_SERVICES_DIR ?? '/tmp/ctfg-services';

  it.each([
    ['user and socket folder, no host', (db: string) => `postgresql://${tcp.username}@/${db}?host=${socketDir}&port=${tcp.port}`],
    ['socket folder percent-encoded as the host', (db: string) => `postgresql://${tcp.username}@${encodeURIComponent(socketDir)}:${tcp.port}/${db}`],
    ['no user, no host, USER unset (the OS user)', (db: string) => `postgresql:///${db}?host=${socketDir}&port=${tcp.port}`],
  ])('%s', async (_form, urlFor) => {
    const name = new URL(await databaseFor(randomUUID())).pathname.slice(1);
    // The OS user must exist as a role for the form without a user, as with psql.
    const admin = new pg.Client({ connectionString: serviceUrls().postgres });
    await admin.connect();
    const role = os.userInfo().username;
    await admin.query(`DO $$ BEGIN CREATE ROLE "${role}" LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$`);
    await admin.end();
    const s = await instance(urlFor(name), false);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect(await s.stop()).toBe(0);
  });
});
