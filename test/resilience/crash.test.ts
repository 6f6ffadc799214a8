/**
 * Crash: kill -9 in the middle of a 500-player solve storm with a scorestream
 * open per player, restart on the same database, and prove nothing
 * acknowledged was lost or doubled, the board equals a replay of the events,
 * sessions survived, and every client resumes without gaps or duplicates.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream } from '../helpers/client.js';
import { fixtureChallenges, prerequisiteOrder } from '../helpers/game.js';
import { tempDir } from '../helpers/server.js';
import { readDb, replayStandings } from './helpers/db.js';
import { Fleet, cookieValue, streamToken } from './helpers/fleet.js';
import { recordResult } from './helpers/results.js';
import { StreamLedger, waitAll } from './helpers/streams.js';

const PLAYERS = 500;
/** kill once this many solves were acknowledged (of 500 × 15 possible) */
const KILL_AFTER = 2500;
/** clients whose socket closes early in the storm (they come back to a snapshot) */
const DROPOUTS = 25;

const fleet = new Fleet();
afterAll(async () => {
  await fleet.finish('crash');
});

/** Runs `fn` over items with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T, i);
      }
    }),
  );
  return out;
}

describe('crash during a solve storm', () => {
  it('keeps every acknowledged solve exactly once, the board, the sessions, and gap-free resumes', async () => {
    const t0 = Date.now();
    const dbDir = tempDir('ctfg-res-crash-');
    const first = await fleet.start({ dbDir });
    const challenges = fixtureChallenges() as Array<{ id: number; testflag: string; requirements?: number[] }>;
    const order = prerequisiteOrder(challenges);
    const flags = new Map(challenges.map((c) => [c.id, c.testflag]));

    const clients = await pool(
      Array.from({ length: PLAYERS }, (_, i) => i + 1),
      50,
      async (n) => {
        const c = new Client(first.url);
        await c.enter(`player${n}`, `password${n}`, `Crash ${n}`);
        fleet.secret('password', `password${n}`);
        fleet.secret('session-cookie', cookieValue(c.cookie ?? ''));
        fleet.secret('stream-token', streamToken(c.websocketUrl ?? ''));
        return c;
      },
    );
    const streams = await pool(clients, 50, (c) => Stream.open(c.websocketUrl as string));
    await waitAll(streams, (s) => s.messages.length > 0, 30_000, 'the snapshot');
    const ledgers = streams.map((s) => {
      const l = new StreamLedger();
      l.absorb(s.messages);
      return l;
    });
    const setupMs = Date.now() - t0;

    // The storm: every player solves everything in prerequisite order; some buy free hints too.
    const acknowledged: Array<{ player: number; id: number }> = [];
    let sent = 0;
    let failed = 0;
    const stormStart = Date.now();
    const storm = clients.map(async (c, i) => {
      for (const id of order) {
        try {
          sent++;
          const r = await c.submit(id, flags.get(id) as string);
          if (r.status === 200 && r.body.result === 'correct') acknowledged.push({ player: i, id });
          if (id === 1 && i % 3 === 0) await c.hint(1, 1);
        } catch {
          failed++;
          return; // the server died under this request: no answer, no promise made
        }
      }
    });
    const killDeadline = Date.now() + 120_000;
    // A few clients drop out early: they miss more than a resume may carry and must get a snapshot.
    while (acknowledged.length < KILL_AFTER / 5 && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 2));
    const dropouts = streams.slice(0, DROPOUTS);
    for (const s of dropouts) s.close();
    while (acknowledged.length < KILL_AFTER && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 2));
    const ackAtKill = acknowledged.length;
    await first.kill();
    const stormMs = Date.now() - stormStart;
    await Promise.all(storm);
    expect(ackAtKill).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acknowledged.length).toBeLessThan(PLAYERS * order.length);
    await waitAll(streams, (s) => s.closeCode !== null, 10_000, 'the close after the kill');
    streams.forEach((s, i) => (ledgers[i] as StreamLedger).absorb(s.messages, 1));

    // The database, read while no server runs.
    const before = readDb(dbDir);
    const dbIds = before.events.map((e) => e.id);
    const dbIdSet = new Set(dbIds);
    const usernames = new Map(before.users.map((u) => [u.username, u.id]));
    const solves = new Map<string, number>();
    for (const e of before.events) if (e.kind === 'score') solves.set(`${e.user_id}/${e.challenge_id}`, (solves.get(`${e.user_id}/${e.challenge_id}`) ?? 0) + 1);
    const lost = acknowledged.filter((a) => solves.get(`${usernames.get(`player${a.player + 1}`)}/${a.id}`) !== 1);
    expect(lost).toEqual([]);
    expect([...solves.values()].every((n) => n === 1)).toBe(true);
    for (const l of ledgers) expect(l.phantoms(dbIdSet)).toEqual([]);
    const expected = replayStandings(before);

    // Restart on the same database; every client comes back with its cookie.
    const restartAt = Date.now();
    const second = await fleet.start({ dbDir });
    const restartMs = Date.now() - restartAt;
    const moved = clients.map((c) => Object.assign(new Client(second.url), { cookie: c.cookie }));
    const me = await pool(moved, 50, (c) => c.request<{ websocket_url: string }>('GET', '/api/me'));
    expect(me.filter((r) => r.status !== 200)).toEqual([]);
    const board = await moved[0]!.request<{ standings: Array<{ displayname: string; score: number; solves: number; last_ts: number }> }>(
      'GET',
      '/api/scoreboard',
    );
    expect(board.body.standings.map(({ displayname, score, solves: n, last_ts }) => ({ displayname, score, solves: n, last_ts }))).toEqual(expected);

    const reconnectAt = Date.now();
    const again = await pool(me, 50, (r, i) => {
      fleet.secret('stream-token', streamToken(r.body.websocket_url));
      return Stream.open(`${r.body.websocket_url}&since=${(ledgers[i] as StreamLedger).lastSeen}`);
    });
    await waitAll(again, (s) => s.messages.length > 0, 30_000, 'the resume');
    const reconnectMs = Date.now() - reconnectAt;

    // One more solve after the restart reaches everyone live, exactly once.
    const solvedBy = (i: number): number => order.filter((id) => solves.has(`${usernames.get(`player${i + 1}`)}/${id}`)).length;
    const late = clients.map((_, i) => i).sort((a, b) => solvedBy(a) - solvedBy(b))[0] as number;
    const nextId = order[solvedBy(late)] as number;
    const lateAnswer = await (moved[late] as Client).submit(nextId, flags.get(nextId) as string);
    expect(lateAnswer.body).toMatchObject({ result: 'correct' });
    const lateEvent = (await (again[late] as Stream).waitFor(
      (m) => Array.isArray(m) && m.some((e) => e.challenge_id === nextId && e.displayname === `Crash ${late + 1}`),
      10_000,
    )) as Array<Record<string, unknown>>;
    const lateId = Number(lateEvent.find((e) => e.challenge_id === nextId)?.id);
    await waitAll(again, (s) => s.events().some((e) => Number(e.id) === lateId), 10_000, 'the live event after the restart');
    await second.stop();
    again.forEach((s, i) => (ledgers[i] as StreamLedger).absorb(s.messages));

    const after = readDb(dbDir);
    const afterIds = after.events.map((e) => e.id);
    const afterSet = new Set(afterIds);
    let withDuplicates = 0;
    let withGaps = 0;
    for (const l of ledgers) {
      if (l.duplicates().length > 0) withDuplicates++;
      if (l.missing(afterIds).length > 0) withGaps++;
      expect(l.duplicates()).toEqual([]);
      expect(l.missing(afterIds)).toEqual([]);
      expect(l.phantoms(afterSet)).toEqual([]);
      expect(l.lastSeen).toBe(afterIds[afterIds.length - 1]);
    }
    // The early dropouts missed more than a resume may carry (max(100, players on the board)).
    const dropoutSnapshots = again.slice(0, DROPOUTS).filter((s) => !Array.isArray(s.messages[0])).length;
    expect(dropoutSnapshots).toBe(DROPOUTS);

    recordResult('crash', {
      players: PLAYERS,
      streams: streams.length,
      setupMs,
      submitsSent: sent,
      acknowledgedAtKill: ackAtKill,
      acknowledgedTotal: acknowledged.length,
      requestsCutByKill: failed,
      stormMsBeforeKill: stormMs,
      eventsInDb: before.events.length,
      lostAcknowledged: lost.length,
      restartMs,
      reconnectMs,
      resumedWithEvents: again.filter((s) => Array.isArray(s.messages[0])).length,
      resumedWithSnapshot: again.filter((s) => !Array.isArray(s.messages[0])).length,
      earlyDropouts: DROPOUTS,
      earlyDropoutsResumedWithSnapshot: dropoutSnapshots,
      clientsWithDuplicates: withDuplicates,
      clientsWithGaps: withGaps,
      lateLiveEventId: lateId,
    });
  });
});
