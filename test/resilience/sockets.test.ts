/**
 * Zombies and slow readers: sockets that stop answering pings are dropped
 * within the timeout; a socket that stops reading is dropped before the
 * server buffers more than 1 MiB for it; and server memory stays flat across
 * five minutes of such churn.
 */
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream } from '../helpers/client.js';
import { TEST_TOKENS, type TestServer } from '../helpers/server.js';
import { Fleet } from './helpers/fleet.js';
import { heavyEventGame } from './helpers/games.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { rssBytes } from './helpers/proc.js';
import { RawWebSocket, firstFramePayload, frameBytes, streamPath } from './helpers/raw-ws.js';
import { recordResult } from './helpers/results.js';

/** The hub's cap on unsent bytes per socket (src/live/hub.ts DEFAULT_HUB_OPTIONS.maxBufferedBytes). */
const CAP = 1 << 20;
const CHALLENGE_IDS = Array.from({ length: 15 }, (_, i) => i + 1);
const MB = 1024 * 1024;

const fleet = new Fleet();
afterAll(async () => {
  await fleet.finish('sockets');
});

function login(server: TestServer, n: number): Promise<Client> {
  return fleet.login(server.url, n);
}

async function award(server: TestServer, username: string, id: number): Promise<void> {
  const r = await fetch(`${server.url}/api/award`, {
    method: 'POST',
    headers: { authorization: TEST_TOKENS.api, 'content-type': 'application/json' },
    body: JSON.stringify({ username, id }),
  });
  if (r.status !== 200) throw new Error(`award ${username}/${id}: ${r.status} ${await r.text()}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('zombies', () => {
  it('drops sockets that stop answering pings within the timeout (-k 1 -t 3) and keeps live ones', async () => {
    const server = await fleet.start({ args: ['-k', '1', '-t', '3'] });
    const c = await login(server, 1);
    const healthy = await Promise.all(Array.from({ length: 3 }, () => Stream.open(c.websocketUrl as string)));
    const zombies = await Promise.all(Array.from({ length: 5 }, () => RawWebSocket.open(server.port, streamPath(c.websocketUrl as string))));
    const closedAt = await Promise.all(zombies.map((z) => z.waitClosed(15_000)));
    const lifetimes = zombies.map((z, i) => (closedAt[i] === null ? Infinity : (closedAt[i] as number) - z.openedAt));
    // The healthy sockets outlive the zombies by several ping rounds.
    await sleep(3000);
    const metrics = await scrape(server.url);
    const figures = {
      timeoutSeconds: 3,
      keepaliveSeconds: 1,
      zombies: zombies.length,
      zombieLifetimesMs: lifetimes,
      healthyStillOpen: healthy.filter((s) => s.closeCode === null).length,
      timeoutDrops: metricValue(metrics, 'ctfg_socket_drops_total', 'reason="timeout"'),
      openSockets: metricValue(metrics, 'ctfg_open_sockets'),
    };
    recordResult('zombies', figures);
    // Dropped no earlier than the timeout, and no later than timeout + one keepalive tick + scheduling slack.
    for (const ms of lifetimes) {
      expect(ms).toBeGreaterThanOrEqual(2900);
      expect(ms).toBeLessThanOrEqual(6500);
    }
    expect(figures.healthyStillOpen).toBe(3);
    expect(figures.timeoutDrops).toBe(5);
    expect(figures.openSockets).toBe(3);
    for (const s of healthy) s.close();
  });
});

describe('slow readers', () => {
  it('drops a socket that stops reading before its unsent bytes pass 1 MiB', async () => {
    // 128 KiB per event, one event per batch: the batch that tips the socket over is known exactly.
    const server = await fleet.start({ gameDir: heavyEventGame(128 * 1024), args: ['-k', '0', '-t', '600'], env: { CTFG_RATE_AWARD: '1000000,0.001' } });
    const c = await login(server, 1);
    const slow = await RawWebSocket.open(server.port, streamPath(c.websocketUrl as string), { keep: true });
    await sleep(200);
    slow.pause();
    const healthySizes: number[] = [];
    const healthyEvents: Array<Array<{ id: number; challenge_id: number; displayname: string }>> = [];
    const healthy = new WebSocket(c.websocketUrl as string);
    healthy.on('message', (data: Buffer) => {
      healthySizes.push(data.length);
      const m = JSON.parse(data.toString()) as unknown;
      healthyEvents.push(Array.isArray(m) ? (m as Array<{ id: number; challenge_id: number; displayname: string }>) : []);
    });
    await new Promise((r) => healthy.once('open', r));
    const rssBefore = rssBytes(server.process.pid as number);

    let dropAward: { username: string; id: number } | null = null;
    let awards = 0;
    outer: for (let p = 2; p <= 500; p++) {
      for (const id of CHALLENGE_IDS) {
        await award(server, `player${p}`, id);
        awards++;
        await sleep(80); // > the 50 ms coalescing window: one event per batch
        if (metricValue(await scrape(server.url), 'ctfg_socket_drops_total', 'reason="slow"') >= 1) {
          dropAward = { username: `player${p}`, id };
          break outer;
        }
        if (awards >= 400) break outer;
      }
    }
    expect(dropAward).not.toBeNull();
    const rssAtDrop = rssBytes(server.process.pid as number);
    await sleep(200);
    slow.resume();
    const closed = await slow.waitClosed(15_000);
    expect(closed).not.toBeNull();

    // Everything the hub handed to the slow socket: its first message, then every batch before the one that dropped it.
    const received = Buffer.concat(slow.chunks);
    const firstFrame = frameBytes(firstFramePayload(received));
    const dropIndex = healthyEvents.findIndex((batch) => batch.some((e) => e.displayname === dropAward?.username && e.challenge_id === dropAward?.id));
    expect(dropIndex).toBeGreaterThan(0);
    const enqueued = firstFrame + healthySizes.slice(1, dropIndex).reduce((n, s) => n + frameBytes(s), 0);
    const dropFrame = frameBytes(healthySizes[dropIndex] as number);
    const largestFrame = Math.max(...healthySizes.map(frameBytes));
    // What the slow client finally read is what had reached the kernel; the rest sat in the server when it was dropped.
    const unsentAtDrop = enqueued - slow.bytes;
    const figures = {
      eventBytes: healthySizes[dropIndex],
      awardsUntilDrop: awards,
      bytesHandedToSocket: enqueued,
      bytesInKernelBuffers: slow.bytes,
      unsentBytesAtDrop: unsentAtDrop,
      unsentPlusNextBatch: unsentAtDrop + dropFrame,
      largestFrame,
      capBytes: CAP,
      healthyEvents: healthyEvents.flat().length,
      serverRssBeforeMB: Math.round(rssBefore / MB),
      serverRssAtDropMB: Math.round(rssAtDrop / MB),
    };
    recordResult('slow-reader', figures);
    // Never more than the cap waiting in the server for this socket…
    expect(unsentAtDrop).toBeLessThanOrEqual(CAP);
    // …and not dropped early: ws counts a frame the kernel has partly taken as still buffered,
    // so the server saw at most one frame more than what remained unsent.
    expect(unsentAtDrop + largestFrame + dropFrame).toBeGreaterThan(CAP);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
    expect(healthyEvents.flat().length).toBe(awards);
    healthy.close();
  });
});

/**
 * Churn for CTFG_SOAK_MS (`npm run test:resilience` sets five minutes; a direct
 * run defaults to 30 s): login, healthy sockets, zombies, slow readers, a flood
 * of heavy events, reset; repeat, and always past the warm-up cycles.
 */
const SOAK_MS = soakMs(process.env.CTFG_SOAK_MS);
const WARMUP_CYCLES = 2;

function soakMs(value: string | undefined): number {
  if (value === undefined || value === '') return 30_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`CTFG_SOAK_MS must be a positive number of milliseconds, got "${value}"`);
  return ms;
}
const RSS_GROWTH_BOUND = 50 * MB;

/** A scorestream client that keeps up: ws answers pings, and messages are only stored while the flood runs. */
class Keeper {
  readonly raw: Buffer[] = [];
  closeCode: number | null = null;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.raw.push(data));
    ws.on('close', (code) => (this.closeCode = code));
  }
  static open(url: string): Promise<Keeper> {
    return new Promise((resolve, reject) => {
      const k = new Keeper(new WebSocket(url));
      k.ws.once('open', () => resolve(k));
      k.ws.once('error', reject);
    });
  }
  eventIds(): Set<number> {
    const ids = new Set<number>();
    for (const b of this.raw) {
      const m = JSON.parse(b.toString()) as unknown;
      if (Array.isArray(m)) for (const e of m as Array<{ id: number }>) ids.add(e.id);
    }
    return ids;
  }
}

describe('memory under churn', () => {
  it(`keeps server memory flat across ${SOAK_MS / 1000} s of zombies, slow readers, floods and resets`, async () => {
    // ~10 KB per event and 600 events per cycle: a paused socket passes the 1 MiB cap plus the kernel buffers.
    // Churn through a few sessions' sockets: the per-session/player caps (tested in hardening) are lifted here.
    const env = { CTFG_RATE_AWARD: '1000000,0.001', CTFG_WS_PER_SESSION: '100000', CTFG_WS_PER_PLAYER: '100000' };
    const server = await fleet.start({ gameDir: heavyEventGame(10_000), args: ['-k', '1', '-t', '3'], env });
    const pid = server.process.pid as number;
    const rssStart = rssBytes(pid);
    const samples: number[] = [];
    let rssWarm = 0;
    let cycles = 0;
    let healthyTotal = 0;
    let zombiesTotal = 0;
    let slowTotal = 0;
    let unhealthyNotDropped = 0;
    let healthyIncomplete = 0;
    let eventsTotal = 0;
    const started = Date.now();
    while ((Date.now() - started < SOAK_MS || cycles <= WARMUP_CYCLES) && cycles < 200) {
      const players = await Promise.all(Array.from({ length: 40 }, (_, i) => login(server, i + 1)));
      const url = players[0]?.websocketUrl as string;
      const healthy = await Promise.all(Array.from({ length: 2 }, () => Keeper.open(url)));
      const zombies = await Promise.all(Array.from({ length: 5 }, () => RawWebSocket.open(server.port, streamPath(url))));
      const slow = await Promise.all(Array.from({ length: 5 }, () => RawWebSocket.open(server.port, streamPath(url))));
      for (const s of slow) s.pause();
      // The flood: every player solves everything, four awards at a time.
      const jobs = players.flatMap((_, i) => CHALLENGE_IDS.map((id) => ({ username: `player${i + 1}`, id })));
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < jobs.length) {
            const job = jobs[next++] as { username: string; id: number };
            await award(server, job.username, job.id);
          }
        }),
      );
      eventsTotal += jobs.length;
      // Zombies and slow readers must all be gone (ping timeout or buffer cap) within the timeout and a tick.
      const zClosed = await Promise.all(zombies.map((z) => z.waitClosed(8000)));
      for (const s of slow) s.resume();
      const sClosed = await Promise.all(slow.map((s) => s.waitClosed(8000)));
      unhealthyNotDropped += zClosed.filter((t) => t === null).length + sClosed.filter((t) => t === null).length;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && healthy.some((h) => h.closeCode === null && h.eventIds().size < jobs.length)) await sleep(200);
      // A client in this (busy) test process may itself fall behind and be dropped as slow: counted, not asserted.
      healthyIncomplete += healthy.filter((h) => h.eventIds().size !== jobs.length).length;
      healthyTotal += healthy.length;
      zombiesTotal += zombies.length;
      slowTotal += slow.length;
      for (const z of [...zombies, ...slow]) z.destroy();
      const reset = await fetch(`${server.url}/admin/reset?confirm=yes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: TEST_TOKENS.admin }),
      });
      expect(reset.status).toBe(200);
      const closeDeadline = Date.now() + 5000;
      while (Date.now() < closeDeadline && healthy.some((h) => h.closeCode === null)) await sleep(50);
      for (const h of healthy) h.ws.terminate();
      cycles++;
      const rss = rssBytes(pid);
      samples.push(rss);
      if (cycles === WARMUP_CYCLES) rssWarm = rss;
    }
    // Right after the last cycle RSS can still hold garbage not yet collected (seen: 249 MB at the end
    // of one run, 193 MB in another of the same code); the lowest reading over 10 s of quiet is what stays.
    let rssEnd = rssBytes(pid);
    for (const until = Date.now() + 10_000; Date.now() < until; ) {
      await sleep(500);
      rssEnd = Math.min(rssEnd, rssBytes(pid));
    }
    const metrics = await scrape(server.url);
    const figures = {
      soakMs: SOAK_MS,
      durationMs: Date.now() - started,
      cycles,
      eventsTotal,
      healthySockets: healthyTotal,
      healthyDroppedAsSlow: healthyIncomplete,
      zombieSockets: zombiesTotal,
      slowSockets: slowTotal,
      unhealthyNotDropped,
      dropsTimeout: metricValue(metrics, 'ctfg_socket_drops_total', 'reason="timeout"'),
      dropsSlow: metricValue(metrics, 'ctfg_socket_drops_total', 'reason="slow"'),
      openSocketsAtEnd: metricValue(metrics, 'ctfg_open_sockets'),
      rssStartMB: +(rssStart / MB).toFixed(1),
      rssAfterWarmupMB: +(rssWarm / MB).toFixed(1),
      rssEndMB: +(rssEnd / MB).toFixed(1),
      rssMaxMB: +(Math.max(...samples) / MB).toFixed(1),
      rssGrowthAfterWarmupMB: +((rssEnd - rssWarm) / MB).toFixed(1),
      boundMB: RSS_GROWTH_BOUND / MB,
    };
    recordResult('memory-churn', figures);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SOAK_MS);
    expect(cycles).toBeGreaterThan(WARMUP_CYCLES);
    expect(unhealthyNotDropped).toBe(0);
    expect(figures.openSocketsAtEnd).toBe(0);
    expect(rssEnd - rssWarm).toBeLessThan(RSS_GROWTH_BOUND);
  }, SOAK_MS + 300_000);
});
