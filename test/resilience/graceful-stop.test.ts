/**
 * Graceful stop: SIGTERM under load. Requests the server already holds finish
 * with their real answer, nothing already sent is reset, new requests are
 * refused cleanly (connection refused or 503), sockets close with 1001, and
 * the database is checkpointed and closed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hash as argon2Hash } from '@node-rs/argon2';
import { Client, Stream } from '../helpers/client.js';
import { fixtureChallenges, prerequisiteOrder, writeGame } from '../helpers/game.js';
import { tempDir } from '../helpers/server.js';
import { Fleet, cookieValue, streamToken } from './helpers/fleet.js';
import { KeepAliveConnection, keepAliveRequest, type Sample } from './helpers/keepalive.js';
import { serverHasRead } from './helpers/proc.js';
import { rawRequest } from './helpers/raw-http.js';
import { recordResult } from './helpers/results.js';
import { waitAll } from './helpers/streams.js';

const SLOW_LOGINS = 120;
const FAST_PLAYERS = 40;
const SLOW_PASSWORD = 'graceful-slow-password';

const fleet = new Fleet();
afterAll(async () => {
  await fleet.finish('graceful-stop');
});

function exitOf(p: import('node:child_process').ChildProcess): Promise<number | null> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p.exitCode);
  return new Promise((resolve) => p.once('exit', (code) => resolve(code)));
}

describe('graceful stop', () => {
  it('finishes in-flight requests, refuses new ones cleanly, closes sockets with 1001 and checkpoints', async () => {
    // argon2id logins take tens of milliseconds on the thread pool: a queue of
    // them is a set of requests the server is still working on at SIGTERM.
    const hash = await argon2Hash(SLOW_PASSWORD, { timeCost: 4 });
    const rows = [
      ...Array.from({ length: SLOW_LOGINS }, (_, i) => `slow${i + 1},"${hash}"`),
      ...Array.from({ length: FAST_PLAYERS }, (_, i) => `fast${i + 1},fast-password-${i + 1}`),
    ];
    fleet.secret('password', SLOW_PASSWORD);
    const gameDir = writeGame({ credentials: `username,password\n${rows.join('\n')}\n` });
    const dbDir = tempDir('ctfg-res-stop-');
    const server = await fleet.start({ gameDir, dbDir });
    const { port } = server;

    const players = await Promise.all(
      Array.from({ length: FAST_PLAYERS }, async (_, i) => {
        const c = new Client(server.url);
        const r = await c.login(`fast${i + 1}`, `fast-password-${i + 1}`);
        expect(r.status).toBe(200);
        fleet.secret('password', `fast-password-${i + 1}`);
        fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
        fleet.secret('stream-token', streamToken(c.websocketUrl ?? ''));
        return c;
      }),
    );
    const streams = await Promise.all(players.map((c) => Stream.open(c.websocketUrl as string)));
    await waitAll(streams, (s) => s.messages.length > 0, 10_000, 'the snapshot');

    // Load: each player on one keep-alive connection, solving and reading the board.
    const challenges = fixtureChallenges() as Array<{ id: number; testflag: string; requirements?: number[] }>;
    const order = prerequisiteOrder(challenges);
    const flags = new Map(challenges.map((c) => [c.id, c.testflag]));
    const samples: Sample[] = [];
    let loadRunning = true;
    const load = players.map(async (c, i) => {
      const conn = new KeepAliveConnection(port);
      const headers = { cookie: c.cookie as string, 'content-type': 'application/json' };
      for (let step = 0; loadRunning && step < 5000; step++) {
        const id = order[step % order.length] as number;
        const req =
          step % 2 === 0
            ? keepAliveRequest(port, 'POST', '/api/submit', headers, JSON.stringify({ id, flag: flags.get(id) }))
            : keepAliveRequest(port, 'GET', i % 2 ? '/api/scoreboard' : '/api/challenges', { cookie: c.cookie as string });
        const s = await conn.send(req);
        samples.push(s);
        // A client told the server is going away (503) or finding nothing listening stops.
        if (s.outcome.kind !== 'response' || s.outcome.status === 503) break;
      }
      conn.close();
    });

    await new Promise((r) => setTimeout(r, 1000));
    // The slow requests: written in full, then SIGTERM once the server has
    // accepted every one of those connections and read every byte of them
    // (checked in /proc/net/tcp), i.e. while they are in the server's hands.
    const slowPorts = new Set<number>();
    const slow = Array.from({ length: SLOW_LOGINS }, (_, i) =>
      rawRequest(
        port,
        { method: 'POST', path: '/api/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `slow${i + 1}`, password: SLOW_PASSWORD }) },
        60_000,
        (p) => slowPorts.add(p),
      ).then(
        (r) => ({ at: Date.now(), r }),
        (err: NodeJS.ErrnoException) => ({ at: Date.now(), r: err }),
      ),
    );
    const readDeadline = Date.now() + 30_000;
    while ((slowPorts.size < SLOW_LOGINS || !serverHasRead(port, slowPorts)) && Date.now() < readDeadline) await new Promise((r) => setTimeout(r, 5));
    expect(serverHasRead(port, slowPorts)).toBe(true);
    let answeredBeforeSignal = 0;
    void Promise.all(slow.map((p) => p.then(() => answeredBeforeSignal++)));
    await new Promise((r) => setImmediate(r));
    const inFlightAtSignal = SLOW_LOGINS - answeredBeforeSignal;
    const signalAt = Date.now();
    server.process.kill('SIGTERM');
    const exited = exitOf(server.process);

    // New requests after the signal: one fresh connection at a time, every
    // 20 ms, until after the exit. One at a time, at most one connection can
    // sit in the accept queue at the instant the listener closes (TCP resets
    // it; nothing a server can do), so at most one probe may be reset.
    const probes: Array<{ at: number; outcome: string }> = [];
    const probing = (async () => {
      let afterExit = 0;
      for (let i = 0; i < 500 && afterExit < 5; i++) {
        const at = Date.now() - signalAt;
        const outcome = await rawRequest(port, { path: '/healthz' }, 10_000).then(
          (r) => `status ${r.status}`,
          (err: NodeJS.ErrnoException) => err.code ?? err.message,
        );
        probes.push({ at, outcome });
        if (server.process.exitCode !== null) afterExit++;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const code = await exited;
    const stopMs = Date.now() - signalAt;
    loadRunning = false;
    await Promise.all(load);
    const slowResults = await Promise.all(slow);
    await probing;
    const probeCounts: Record<string, number> = {};
    for (const p of probes) probeCounts[p.outcome] = (probeCounts[p.outcome] ?? 0) + 1;
    const firstRefused = probes.findIndex((p) => p.outcome === 'ECONNREFUSED');
    await waitAll(streams, (s) => s.closeCode !== null, 5000, 'the close');

    const slowStatuses = slowResults.map(({ r }) => (r instanceof Error ? (r.code ?? r.message) : `status ${r.status}`));

    const before = samples.filter((s) => s.writtenAt < signalAt);
    const after = samples.filter((s) => s.writtenAt >= signalAt);
    const count = (list: Sample[], pred: (s: Sample) => boolean): number => list.filter(pred).length;
    const wal = path.join(dbDir, 'events.db-wal');
    const walBytes = fs.existsSync(wal) ? fs.statSync(wal).size : null;
    const closeCodes: Record<string, number> = {};
    for (const s of streams) closeCodes[String(s.closeCode)] = (closeCodes[String(s.closeCode)] ?? 0) + 1;

    const figures = {
      slowLogins: SLOW_LOGINS,
      slowLoginsInFlightAtSignal: inFlightAtSignal,
      slowLoginsAnswered200: slowStatuses.filter((s) => s === 'status 200').length,
      loadRequestsBeforeSignal: before.length,
      loadBeforeSignalAnswered: count(before, (s) => s.outcome.kind === 'response' && s.outcome.status !== 503),
      loadBeforeSignal503: count(before, (s) => s.outcome.kind === 'response' && s.outcome.status === 503),
      loadBeforeSignalReset: count(before, (s) => s.outcome.kind === 'reset'),
      loadAfterSignal: after.length,
      loadAfterSignal503: count(after, (s) => s.outcome.kind === 'response' && s.outcome.status === 503),
      loadAfterSignalRefused: count(after, (s) => s.outcome.kind === 'refused'),
      loadAfterSignalReset: count(after, (s) => s.outcome.kind === 'reset'),
      loadAfterSignalOther: count(after, (s) => s.outcome.kind === 'response' && s.outcome.status !== 503),
      newConnectionProbes: probeCounts,
      firstRefusedProbeMs: firstRefused >= 0 ? probes[firstRefused]?.at : null,
      exitCode: code,
      stopMs,
      socketCloseCodes: closeCodes,
      walBytesAfterExit: walBytes,
    };
    recordResult('graceful-stop', figures);

    expect(code).toBe(0);
    expect(slowStatuses.filter((s) => s !== 'status 200')).toEqual([]);
    expect(before.filter((s) => s.outcome.kind === 'reset')).toEqual([]);
    expect(after.filter((s) => s.outcome.kind === 'reset')).toEqual([]);
    // Before the server notices the signal a probe is still served (200); then 503 while draining, then refused.
    for (const p of probes) expect(['status 200', 'status 503', 'ECONNREFUSED', 'ECONNRESET']).toContain(p.outcome);
    expect(probeCounts.ECONNRESET ?? 0).toBeLessThanOrEqual(1);
    expect(firstRefused).toBeGreaterThanOrEqual(0);
    expect(probes.slice(firstRefused).every((p) => p.outcome === 'ECONNREFUSED')).toBe(true);
    expect(probes.slice(-5).every((p) => p.outcome === 'ECONNREFUSED')).toBe(true);
    expect(closeCodes).toEqual({ 1001: FAST_PLAYERS });
    expect(walBytes === null || walBytes === 0).toBe(true);
    expect(before.length).toBeGreaterThan(100);
  });
});
