/**
 * Herd: 2,000 scorestream connections opened at once all succeed; an admin
 * reset tells and closes all of them; a second herd right after the reset
 * (with tokens re-issued at the new logins) succeeds too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream, refusedUpgrade } from '../helpers/client.js';
import { TEST_TOKENS } from '../helpers/server.js';
import { Fleet } from './helpers/fleet.js';
import { recordResult } from './helpers/results.js';
import { waitAll } from './helpers/streams.js';

const PLAYERS = 500;
const SOCKETS_PER_PLAYER = 4;

const fleet = new Fleet();
afterAll(async () => {
  await fleet.finish('herd');
});

async function loginAll(base: string): Promise<Client[]> {
  const clients: Client[] = [];
  for (let start = 0; start < PLAYERS; start += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, PLAYERS - start) }, async (_, k) => {
        return fleet.login(base, start + k + 1);
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

interface HerdFigures {
  sockets: number;
  opened: number;
  failed: number;
  openAllMs: number;
  firstMessageAllMs: number;
  failures: string[];
}

/** Opens every socket in one synchronous burst; resolves when each opened (or failed) and got its first message. */
async function herd(urls: string[]): Promise<{ streams: Stream[]; figures: HerdFigures }> {
  const t0 = Date.now();
  const attempts = urls.map((u) => Stream.open(u).then((s) => s, (err: unknown) => (err instanceof Error ? err : new Error(String(err)))));
  const results = await Promise.all(attempts);
  const openAllMs = Date.now() - t0;
  const streams = results.filter((r): r is Stream => r instanceof Stream);
  await waitAll(streams, (s) => s.messages.length > 0, 60_000, 'the first message');
  const failures = results.filter((r): r is Error => r instanceof Error).map((e) => e.message);
  return {
    streams,
    figures: {
      sockets: urls.length,
      opened: streams.length,
      failed: failures.length,
      openAllMs,
      firstMessageAllMs: Date.now() - t0,
      failures: [...new Set(failures)].slice(0, 5),
    },
  };
}

async function openSockets(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^ctfg_open_sockets (\d+)/m.exec(text)?.[1] ?? NaN);
}

describe('thundering herd', () => {
  it('accepts 2,000 sockets at once, survives a reset that closes them all, and accepts a second herd', async () => {
    // Every socket comes from 127.0.0.1: the per-address cap (a NAT's worth, 1000) is lifted for the herd.
    const server = await fleet.start({ env: { CTFG_WS_PER_ADDRESS: '100000' } });
    const first = await loginAll(server.url);
    const urls1 = first.flatMap((c) => Array.from({ length: SOCKETS_PER_PLAYER }, () => c.websocketUrl as string));
    const h1 = await herd(urls1);
    expect(h1.figures.failures).toEqual([]);
    expect(h1.figures.opened).toBe(PLAYERS * SOCKETS_PER_PLAYER);
    expect(await openSockets(server.url)).toBe(PLAYERS * SOCKETS_PER_PLAYER);
    for (const s of h1.streams) expect(s.messages[0]).toMatchObject({ type: 'snapshot' });

    const resetAt = Date.now();
    const reset = await fetch(`${server.url}/admin/reset?confirm=yes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: TEST_TOKENS.admin }),
    });
    expect(reset.status).toBe(200);
    await waitAll(h1.streams, (s) => s.closeCode !== null, 10_000, 'the reset close');
    const resetCloseMs = Date.now() - resetAt;
    const told = h1.streams.filter((s) => s.messages.some((m) => !Array.isArray(m) && m.type === 'system' && m.event === 'reset')).length;
    const closeCodes = new Set(h1.streams.map((s) => s.closeCode));
    expect(told).toBe(h1.streams.length);
    expect([...closeCodes]).toEqual([4000]);

    // Old tokens are dead; logging in again issues new ones.
    expect(await refusedUpgrade(urls1[0] as string)).toBe(401);
    const second = await loginAll(server.url);
    const urls2 = second.flatMap((c) => Array.from({ length: SOCKETS_PER_PLAYER }, () => c.websocketUrl as string));
    const h2 = await herd(urls2);
    expect(h2.figures.failures).toEqual([]);
    expect(h2.figures.opened).toBe(PLAYERS * SOCKETS_PER_PLAYER);
    expect(await openSockets(server.url)).toBe(PLAYERS * SOCKETS_PER_PLAYER);
    for (const s of h2.streams) s.close();
    await waitAll(h2.streams, (s) => s.closeCode !== null, 10_000, 'the close');

    recordResult('herd', { first: h1.figures, resetCloseAllMs: resetCloseMs, resetToldAll: told, second: h2.figures });
  });
});
