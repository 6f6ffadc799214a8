import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Stream } from '../helpers/client.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin, eventGame, isClock, player } from '../integration/event-helpers.js';

/** Two instances on one PostgreSQL database and one Redis: the clock is shared. */
let a: TestServer;
let b: TestServer;
const dbDir = tempDir('ctfg-multi-event-');

beforeAll(async () => {
  const gameDir = eventGame('title: Shared\n');
  [a, b] = (await Promise.all([0, 1].map(() => startServer({ gameDir, dbDir, backend: 'postgres' })))) as [TestServer, TestServer];
});
afterAll(async () => {
  await Promise.all([a, b].map((s) => s?.stop()));
});

describe('the event clock across instances', () => {
  it('a pause through A answers paused on B, and its sockets hear it, within a second', async () => {
    const onB = await player(b.url, 'p1');
    const stream = await Stream.open(onB.websocketUrl as string);
    await stream.waitFor(() => true);
    const paused = await (await admin(a.url)).request('POST', '/api/admin/event', { paused: true });
    expect(paused.status).toBe(200);
    const sent = Date.now();
    await stream.waitFor(isClock('paused'), 1000);
    expect(await onB.submit(1, 'flag{a}')).toMatchObject({ status: 403, body: { error: 'paused' } });
    expect((await new Client(b.url).request('GET', '/api/event')).body).toMatchObject({ state: 'paused' });
    expect(Date.now() - sent).toBeLessThan(1000);
    await (await admin(b.url)).request('POST', '/api/admin/event', { paused: false });
    await stream.waitFor(isClock('running'), 1000);
    stream.close();
  });

  it('an announcement made on A reaches sockets on B', async () => {
    const onB = await player(b.url, 'p2');
    const stream = await Stream.open(onB.websocketUrl as string);
    await stream.waitFor(() => true);
    await (await admin(a.url)).request('POST', '/api/admin/announcements', { text: 'from A' });
    await stream.waitFor((m) => !Array.isArray(m) && m.type === 'announcement' && m.text === 'from A', 1000);
    stream.close();
  });
});
