import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisPrefixFor, serviceUrls } from '../helpers/backend.js';
import { Client, Stream } from '../helpers/client.js';
import { readEventsFrom } from '../helpers/db-reader.js';
import { fixtureChallenges, prerequisiteOrder } from '../helpers/game.js';
import { roundRobinProxy, type Proxy } from '../helpers/proxy.js';
import { TEST_TOKENS, startServer, tempDir, type TestServer } from '../helpers/server.js';

/** Three ctfg instances on one PostgreSQL database and one Redis, behind a round-robin proxy. */
let instances: TestServer[] = [];
let proxy: Proxy;
const dbDir = tempDir('ctfg-multi-');

beforeAll(async () => {
  instances = await Promise.all([0, 1, 2].map(() => startServer({ dbDir, backend: 'postgres' })));
  proxy = await roundRobinProxy(instances.map((s) => s.port));
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all(instances.map((s) => (s.process.exitCode === null ? s.stop() : null)));
});

/** Opens a socket through the proxy, retrying until it lands on the wanted instance. */
async function socketOn(instance: number, client: Client): Promise<Stream> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const before = [...proxy.counts];
    const url = (client.websocketUrl as string).replace(/^ws:\/\/[^/]+/, proxy.url.replace('http', 'ws'));
    const stream = await Stream.open(url);
    const landed = proxy.counts.findIndex((n, i) => n !== before[i]);
    if (landed === instance) return stream;
    stream.close();
  }
  throw new Error(`could not reach instance ${instance} through the proxy`);
}

describe('three instances, one game', () => {
  it('carries a solve made on A to sockets on B and C', async () => {
    const solver = new Client(instances[0]!.url);
    await solver.enter('player1', 'password1', 'Multi One');
    const watcher = new Client(proxy.url);
    await watcher.enter('player2', 'password2', 'Multi Two');
    const onB = await socketOn(1, watcher);
    const onC = await socketOn(2, watcher);
    await Promise.all([onB.waitFor(() => true), onC.waitFor(() => true)]);
    expect((await solver.submit(1, '26')).body).toMatchObject({ result: 'correct' });
    for (const s of [onB, onC]) {
      const batch = await s.waitFor((m) => Array.isArray(m) && m.some((e) => e.displayname === 'Multi One'));
      expect((batch as Array<Record<string, unknown>>)[0]).toMatchObject({ challenge_id: 1, points: 100 });
    }
    // Standings agree everywhere.
    const boards = await Promise.all(instances.map((i) => Object.assign(new Client(i.url), { cookie: watcher.cookie }).request('GET', '/api/scoreboard')));
    for (const b of boards) expect(b.body).toEqual(boards[0]!.body);
    onB.close();
    onC.close();
  });

  it('records 300 concurrent duplicate submits spread over all instances exactly once', async () => {
    const c = new Client(instances[0]!.url);
    await c.enter('player3', 'password3', 'Multi Three');
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => Object.assign(new Client(instances[i % 3]!.url), { cookie: c.cookie }).submit(2, '32')),
    );
    expect(results.filter((r) => r.body.result === 'correct')).toHaveLength(1);
    expect(results.filter((r) => r.body.result === 'already_solved')).toHaveLength(299);
    const stored = await readEventsFrom('postgres', dbDir);
    expect(stored.filter((e) => e.username === 'player3' && e.challenge_id === 2)).toHaveLength(1);
  });

  it('never refuses a challenge whose prerequisite was solved a moment ago on another instance', async () => {
    const redis = new Redis(serviceUrls().redis);
    try {
      for (let i = 0; i < 5; i++) {
        const c = new Client(instances[0]!.url);
        await c.enter(`player${40 + i}`, `password${40 + i}`, `Hopper ${i}`);
        // Cut every instance's subscription: the next solve's message is lost to B and C,
        // exactly as pub/sub loses messages while a subscriber reconnects.
        await redis.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
        expect((await c.submit(1, '26')).body.result).toBe('correct');
        const onB = Object.assign(new Client(instances[1]!.url), { cookie: c.cookie });
        expect((await onB.submit(3, '10')).body.result).toBe('correct');
        const onC = Object.assign(new Client(instances[2]!.url), { cookie: c.cookie });
        expect((await onC.hint(2, 1)).body).toEqual({ result: 'ok' });
      }
      // Let every instance subscribe again before the next test relies on the bus.
      const channel = `${redisPrefixFor(dbDir)}:bus`;
      for (let t = 0; t < 100; t++) {
        const [, subscribers] = (await redis.call('PUBSUB', 'NUMSUB', channel)) as [string, number];
        if (Number(subscribers) >= instances.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      redis.disconnect();
    }
  });

  it('loses no acknowledged solve when an instance dies; its clients resume elsewhere', async () => {
    const order = prerequisiteOrder(fixtureChallenges() as Array<{ id: number; requirements?: number[] }>);
    const flags = new Map(fixtureChallenges().map((c) => [c.id as number, c.testflag as string]));
    const players = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const c = new Client(instances[i % 3]!.url);
        await c.enter(`player${20 + i}`, `password${20 + i}`, `Survivor ${i}`);
        return c;
      }),
    );
    const victimSocket = await socketOn(2, players[0]!);
    const first = (await victimSocket.waitFor(() => true)) as Record<string, unknown>;
    const acknowledged: Array<{ user: string; id: number }> = [];
    const storm = players.map(async (c, i) => {
      for (const id of order) {
        try {
          const r = await c.submit(id, flags.get(id) as string);
          if (r.body.result === 'correct') acknowledged.push({ user: `player${20 + i}`, id });
        } catch {
          // Its instance died: move to a survivor, as a load balancer would.
          (c as { base: string }).base = instances[i % 2]!.url;
        }
      }
    });
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 2));
    await instances[2]!.kill();
    await Promise.all(storm);
    const stored = await readEventsFrom('postgres', dbDir);
    for (const a of acknowledged) expect(stored.filter((e) => e.username === a.user && e.challenge_id === a.id && e.kind === 'score')).toHaveLength(1);

    // The killed instance's socket resumes on a survivor and misses nothing.
    expect(await victimSocket.waitClose()).not.toBe(1000);
    const seen = new Set(victimSocket.events().map((e) => e.id as number));
    const lastSeen = Math.max(first.last_id as number, ...seen);
    const me = await Object.assign(new Client(instances[0]!.url), { cookie: players[0]!.cookie }).request('GET', '/api/me');
    const resumed = await Stream.open(`${String(me.body.websocket_url)}&since=${lastSeen}`);
    const firstAfter = await resumed.waitFor(() => true);
    const newest = stored[stored.length - 1]!.id;
    if (Array.isArray(firstAfter)) {
      for (const e of firstAfter) seen.add(e.id as number);
      const expected = stored.filter((e) => e.id > (first.last_id as number) && e.id <= newest).map((e) => e.id);
      expect([...seen].filter((id) => id <= newest).sort((a, b) => a - b)).toEqual(expected);
    } else {
      expect(firstAfter.type).toBe('snapshot');
    }
    resumed.close();
  });

  it('brings a restarted instance up to date with the others', async () => {
    const port = instances[2]!.port;
    instances[2] = await startServer({ dbDir, backend: 'postgres', port });
    const viewer = new Client(instances[0]!.url);
    await viewer.enter('player6', 'password6', 'Multi Six');
    const reborn = Object.assign(new Client(instances[2]!.url), { cookie: viewer.cookie });
    expect((await reborn.request('GET', '/api/scoreboard')).body).toEqual((await viewer.request('GET', '/api/scoreboard')).body);
  });

  it('resets through B and logs out sockets on A and C', async () => {
    const c = new Client(proxy.url);
    await c.enter('player5', 'password5', 'Multi Five');
    const onA = await socketOn(0, c);
    const onC = await socketOn(2, c);
    await Promise.all([onA.waitFor(() => true), onC.waitFor(() => true)]);
    const r = await fetch(`${instances[1]!.url}/admin/reset?confirm=yes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_TOKENS.admin }),
    });
    expect(r.status).toBe(200);
    for (const s of [onA, onC]) {
      expect(await s.waitFor((m) => !Array.isArray(m) && m.type === 'system')).toMatchObject({ event: 'reset', logout: true });
      expect(await s.waitClose(2000)).toBe(4000);
    }
    for (const i of instances) {
      expect((await Object.assign(new Client(i.url), { cookie: c.cookie }).request('GET', '/api/me')).status).toBe(401);
      const login = await new Client(i.url).login('player5', 'password5');
      expect(login.body).toMatchObject({ needs_name: true });
    }
  });
});
