/**
 * Operability: /healthz, /readyz (and its 503 while stopping), and /metrics
 * — reachable from loopback or with the admin token as a Bearer token only —
 * exposing request latency histograms, open sockets, solves, broadcast batch
 * sizes and rate-limit hits that match what happened.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream } from '../helpers/client.js';
import { TEST_TOKENS } from '../helpers/server.js';
import { Fleet, cookieValue, streamToken } from './helpers/fleet.js';
import { metricValue, scrape } from './helpers/metrics.js';
import { rawRequest } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';
import { waitAll } from './helpers/streams.js';

const fleet = new Fleet();
const figures: Record<string, unknown> = {};
afterAll(async () => {
  recordResult('operability', figures);
  await fleet.finish('operability');
});

describe('health, readiness and metrics', () => {
  it('answers /healthz and /readyz, and /readyz says 503 once the server is stopping', async () => {
    const server = await fleet.start();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    const readyBody = (await ready.json()) as { status: string; checks: Record<string, string> };
    expect(readyBody).toMatchObject({ status: 'ready', checks: { game: 'ok', database: 'ok' } });

    // While stopping: a load balancer polling readiness sees 503 until the listener is gone.
    server.process.kill('SIGTERM');
    const seen: string[] = [];
    for (let i = 0; i < 200 && server.process.exitCode === null; i++) {
      const r = await rawRequest(server.port, { path: '/readyz' }).then(
        (res) => String(res.status),
        (err: NodeJS.ErrnoException) => err.code ?? 'error',
      );
      if (seen[seen.length - 1] !== r) seen.push(r);
      if (r === 'ECONNREFUSED') break;
      await new Promise((res) => setTimeout(res, 10));
    }
    figures.readinessWhileStopping = seen;
    expect(seen).toContain('503');
    expect(seen.filter((s) => !['200', '503', 'ECONNREFUSED', 'ECONNRESET'].includes(s))).toEqual([]);
    expect(seen.indexOf('503')).toBeGreaterThanOrEqual(seen.indexOf('200'));
  });

  it('serves /metrics to loopback and to the admin token only', async () => {
    const server = await fleet.start({ env: { CTFG_TRUST_PROXY: '1' } });
    const get = (headers: Record<string, string>): Promise<number> => fetch(`${server.url}/metrics`, { headers }).then((r) => r.status);
    const remote = { 'x-forwarded-for': '203.0.113.9' };
    const access = {
      loopback: await get({}),
      forwarded: await get(remote),
      forwardedClaimingLoopback: await get({ 'x-forwarded-for': '127.0.0.1' }),
      forwardedWithBearerAdmin: await get({ ...remote, authorization: `Bearer ${TEST_TOKENS.admin}` }),
      forwardedWithWrongBearer: await get({ ...remote, authorization: 'Bearer nope' }),
      forwardedWithApiToken: await get({ ...remote, authorization: `Bearer ${TEST_TOKENS.api}` }),
    };
    const noAdmin = await fleet.start({ env: { CTFG_ADMIN_TOKEN: '' } });
    const noAdminForwarded = await fetch(`${noAdmin.url}/metrics`, { headers: { ...remote, authorization: 'Bearer ' } }).then((r) => r.status);
    figures.metricsAccess = { ...access, forwardedWithoutAdminTokenConfigured: noAdminForwarded };
    expect(access).toEqual({
      loopback: 200,
      forwarded: 401,
      forwardedClaimingLoopback: 401,
      forwardedWithBearerAdmin: 200,
      forwardedWithWrongBearer: 401,
      forwardedWithApiToken: 401,
    });
    expect(noAdminForwarded).toBe(401);
  });

  it('exposes latency histograms, open sockets, solves, batch sizes and rate-limit hits that match the activity', async () => {
    const server = await fleet.start({ env: { CTFG_RATE_SUBMIT: '2,60' } });
    const players = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const c = new Client(server.url);
        await c.enter(`player${n}`, `password${n}`, `Metric ${n}`);
        fleet.secret('password', `password${n}`);
        fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
        fleet.secret('stream-token', streamToken(c.websocketUrl ?? ''));
        return c;
      }),
    );
    const streams = await Promise.all(players.map((c) => Stream.open(c.websocketUrl as string)));
    await waitAll(streams, (s) => s.messages.length > 0, 5000, 'the snapshot');
    const p1 = players[0] as Client;
    const p2 = players[1] as Client;
    // 4 solves, one of them an award; then a wrong-flag streak into the limit.
    expect((await p1.submit(1, '26')).body).toMatchObject({ result: 'correct' });
    expect((await p1.submit(2, '32')).body).toMatchObject({ result: 'correct' });
    expect((await p2.submit(6, '75')).body).toMatchObject({ result: 'correct' });
    const award = await fetch(`${server.url}/api/award`, { method: 'POST', headers: { authorization: TEST_TOKENS.api, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'player3', id: 1 }) });
    expect(award.status).toBe(200);
    await p2.submit(1, 'wrong');
    await p2.submit(1, 'wrong');
    expect((await p2.submit(1, 'wrong')).status).toBe(429);
    expect((await p2.submit(1, 'wrong')).status).toBe(429);
    await waitAll(streams, (s) => s.events().length >= 4, 5000, 'four events');

    const text = await scrape(server.url);
    const values = {
      openSockets: metricValue(text, 'ctfg_open_sockets'),
      solves: metricValue(text, 'ctfg_solves_total'),
      rateLimitedSubmit: metricValue(text, 'ctfg_rate_limited_total', 'endpoint="submit"'),
      batchCount: metricValue(text, 'ctfg_broadcast_batch_events_count'),
      batchEventsSum: metricValue(text, 'ctfg_broadcast_batch_events_sum'),
      submitLatencyCount: metricValue(text, 'ctfg_http_request_duration_seconds_count', 'route="/api/submit"'),
      submitLatencyBuckets: text.split('\n').filter((l) => l.startsWith('ctfg_http_request_duration_seconds_bucket') && l.includes('route="/api/submit"')).length,
    };
    figures.metricsValues = values;
    expect(text).toMatch(/# TYPE ctfg_http_request_duration_seconds histogram/);
    expect(text).toMatch(/# TYPE ctfg_open_sockets gauge/);
    expect(text).toMatch(/# TYPE ctfg_solves_total counter/);
    expect(text).toMatch(/# TYPE ctfg_broadcast_batch_events histogram/);
    expect(text).toMatch(/# TYPE ctfg_rate_limited_total counter/);
    expect(values.openSockets).toBe(3);
    expect(values.solves).toBe(4);
    expect(values.rateLimitedSubmit).toBe(2);
    expect(values.batchEventsSum).toBe(4);
    expect(values.batchCount).toBeGreaterThanOrEqual(1);
    expect(values.submitLatencyCount).toBeGreaterThanOrEqual(7);
    expect(values.submitLatencyBuckets).toBeGreaterThan(5);
    for (const s of streams) s.close();
    await waitAll(streams, (s) => s.closeCode !== null, 5000, 'the close');
    await new Promise((r) => setTimeout(r, 100));
    expect(metricValue(await scrape(server.url), 'ctfg_open_sockets')).toBe(0);
  });
});
