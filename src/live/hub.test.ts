import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { CloseCode } from '../protocol/messages.js';
import { Hub, type HubOptions } from './hub.js';

/** Real sockets on loopback; the hub's timers and clock are vitest's fake ones. */
describe('Hub', () => {
  let wss: WebSocketServer;
  let hub: Hub | null = null;
  const clients: WebSocket[] = [];
  const batches: Array<[number, number]> = [];
  const drops: string[] = [];

  const options = (o: Partial<HubOptions> = {}): HubOptions => ({
    keepaliveSeconds: 10,
    pingTimeoutSeconds: 30,
    maxBufferedBytes: 1 << 20,
    coalesceMs: 25,
    maxCoalesceMs: 150,
    ...o,
  });

  beforeEach(async () => {
    batches.length = 0;
    drops.length = 0;
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
  });

  afterEach(async () => {
    vi.useRealTimers();
    hub?.closeAll();
    hub = null;
    for (const c of clients.splice(0)) c.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });

  /** Starts the hub on fake timers. */
  function startHub(o: Partial<HubOptions> = {}): Hub {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    hub = new Hub(options(o), { onBatch: (events, sockets) => batches.push([events, sockets]), onDrop: (reason) => drops.push(reason) });
    return hub;
  }

  /** A client connected through the hub; `server` is its socket on the hub's side. */
  async function connect(h: Hub, joinedAt = 0, clientOptions: { autoPong?: boolean } = {}): Promise<{ client: WebSocket; server: WebSocket; messages: string[] }> {
    const accepted = once(wss, 'connection') as Promise<[WebSocket, IncomingMessage]>;
    const { port } = wss.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}`, clientOptions);
    clients.push(client);
    const messages: string[] = [];
    client.on('message', (data) => messages.push(data.toString()));
    const [[server, req]] = await Promise.all([accepted, once(client, 'open')]);
    h.add(server, req.socket, 1, `session-${clients.length}`, joinedAt);
    return { client, server, messages };
  }

  const event = (id: number): string => JSON.stringify({ id, type: 'score' });

  it('sends at most one batch per window: the first event at once, the next ones coalesced', async () => {
    const h = startHub();
    const { client, messages } = await connect(h);
    const first = once(client, 'message');
    h.enqueue(1, event(1));
    vi.advanceTimersByTime(0);
    expect(batches).toEqual([[1, 1]]);
    await first;
    vi.advanceTimersByTime(10);
    h.enqueue(2, event(2));
    h.enqueue(3, event(3));
    vi.advanceTimersByTime(14);
    expect(batches).toEqual([[1, 1]]);
    const second = once(client, 'message');
    vi.advanceTimersByTime(1);
    expect(batches).toEqual([
      [1, 1],
      [2, 1],
    ]);
    await second;
    expect(messages.map((m) => (JSON.parse(m) as Array<{ id: number }>).map((e) => e.id))).toEqual([[1], [2, 3]]);
  });

  it('sends a late joiner only the events its first message lacked', async () => {
    const h = startHub();
    const early = await connect(h, 0);
    const late = await connect(h, 2);
    for (const id of [1, 2, 3]) h.enqueue(id, event(id));
    const both = Promise.all([once(early.client, 'message'), once(late.client, 'message')]);
    vi.advanceTimersByTime(25);
    await both;
    expect((JSON.parse(early.messages[0] ?? '[]') as Array<{ id: number }>).map((e) => e.id)).toEqual([1, 2, 3]);
    expect((JSON.parse(late.messages[0] ?? '[]') as Array<{ id: number }>).map((e) => e.id)).toEqual([3]);
  });

  it('frames messages of every length class once, and a client reads them whole', async () => {
    const h = startHub();
    const { client, messages } = await connect(h);
    // 7-bit, 16-bit and 64-bit payload lengths (RFC 6455 §5.2), multi-byte characters counted in bytes.
    const sizes = [10, 300, 70_000];
    for (const [i, size] of sizes.entries()) {
      const got = once(client, 'message');
      h.broadcast(JSON.stringify({ id: i, pad: 'é'.repeat(size) }));
      await got;
    }
    expect(messages.map((m) => (JSON.parse(m) as { pad: string }).pad.length)).toEqual(sizes);
  });

  it('drops a consumer whose unsent bytes would pass the limit, and keeps the others', async () => {
    const h = startHub({ maxBufferedBytes: 200 });
    const { client } = await connect(h);
    h.enqueue(1, event(1));
    vi.advanceTimersByTime(25);
    await once(client, 'message');
    expect(h.size).toBe(1);
    const closed = once(client, 'close');
    h.enqueue(2, JSON.stringify({ id: 2, pad: 'x'.repeat(300) }));
    vi.advanceTimersByTime(25);
    expect(drops).toEqual(['slow']);
    expect(h.size).toBe(0);
    const [code] = (await closed) as [number];
    expect(code).toBe(1006);
  });

  it('pings every keepalive interval and drops a socket that stops answering', async () => {
    const h = startHub({ keepaliveSeconds: 1, pingTimeoutSeconds: 3 });
    const answering = await connect(h);
    const silent = await connect(h, 0, { autoPong: false });
    for (let second = 1; second <= 4; second++) {
      const ponged = once(answering.server, 'pong');
      const pinged = second < 4 ? once(silent.client, 'ping') : null;
      vi.advanceTimersByTime(1000);
      await ponged;
      await pinged;
    }
    expect(drops).toEqual(['timeout']);
    expect(h.size).toBe(1);
    expect(answering.client.readyState).toBe(WebSocket.OPEN);
  });

  it('spreads the pings over the keepalive interval: each second one share of the sockets, each socket once', async () => {
    const h = startHub({ keepaliveSeconds: 3, pingTimeoutSeconds: 30 });
    const sockets = [await connect(h), await connect(h), await connect(h)];
    const pings = [0, 0, 0];
    sockets.forEach((s, i) => s.client.on('ping', () => (pings[i] = (pings[i] ?? 0) + 1)));
    for (let second = 0; second < 6; second++) {
      const pinged = once((sockets[second % 3] as (typeof sockets)[number]).client, 'ping');
      vi.advanceTimersByTime(1000);
      await pinged;
    }
    // A round trip on each socket: any ping the hub sent before it has arrived by then.
    for (const s of sockets) {
      const pong = once(s.client, 'pong');
      s.client.ping();
      await pong;
    }
    expect(pings).toEqual([2, 2, 2]);
  });

  it('closes a session on logout and everybody on reset with their close codes', async () => {
    const h = startHub();
    const a = await connect(h);
    const b = await connect(h);
    const aClosed = once(a.client, 'close');
    h.closeSession('session-1');
    expect(((await aClosed) as [number])[0]).toBe(CloseCode.loggedOut);
    const bClosed = once(b.client, 'close');
    h.broadcastReset({ type: 'system', event: 'reset', logout: true, ts: 1 });
    expect(((await bClosed) as [number])[0]).toBe(CloseCode.reset);
    expect(JSON.parse(b.messages.at(-1) ?? '{}')).toMatchObject({ type: 'system', event: 'reset' });
  });
});
