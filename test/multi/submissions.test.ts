import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewResponse, SubmissionsResponse } from '../../src/protocol/api.js';
import { Stream, type Message } from '../helpers/client.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin, adminStream, eventGame, player } from '../integration/event-helpers.js';

/** Two instances on one PostgreSQL database and one Redis: one submissions log, one live tail. */
let a: TestServer;
let b: TestServer;
const dbDir = tempDir('ctfg-multi-subs-');

beforeAll(async () => {
  const gameDir = eventGame(null);
  [a, b] = (await Promise.all([0, 1].map(() => startServer({ gameDir, dbDir, backend: 'postgres' })))) as [TestServer, TestServer];
});
afterAll(async () => {
  await Promise.all([a, b].map((s) => s?.stop()));
});

const isSubmission = (m: Message): m is Record<string, unknown> => !Array.isArray(m) && m.type === 'submission';

describe('the submissions log across instances', () => {
  it('an admin socket on A tails submits judged on B; players never get them', async () => {
    const ada = await admin(a.url);
    const tail = await adminStream(ada);
    const onB = await player(b.url, 'p1');
    const watcher = await Stream.open(onB.websocketUrl as string);
    await watcher.waitFor(() => true);
    expect((await onB.submit(1, 'flag{from B}')).body).toEqual({ result: 'incorrect' });
    expect((await onB.submit(1, 'flag{a}')).body).toMatchObject({ result: 'correct' });
    await tail.waitFor(() => tail.messages.filter(isSubmission).length >= 2, 2000);
    const tailed = tail.messages.filter(isSubmission);
    expect(tailed.map((m) => [m.username, m.challenge_id, m.result, m.flag])).toEqual([
      ['p1', 1, 'incorrect', 'flag{from B}'],
      ['p1', 1, 'correct', 'flag{a}'],
    ]);
    // The same rows, with the same ids, from the log through either instance.
    const listed = (await ada.request<SubmissionsResponse>('GET', '/api/admin/submissions')).body.submissions;
    expect(listed.map((r) => ({ type: 'submission', ...r }))).toEqual([...tailed].reverse());
    const viaB = (await (await admin(b.url)).request<SubmissionsResponse>('GET', '/api/admin/submissions')).body.submissions;
    expect(viaB).toEqual(listed);
    // A submit judged on A itself reaches A's tail once: the bus's echo of A's own message is not replayed.
    const onA = await player(a.url, 'p3');
    await onA.submit(2, 'flag{from A}');
    await tail.waitFor(() => tail.messages.filter(isSubmission).length >= 3, 2000);
    await new Promise((r) => setTimeout(r, 300));
    expect(tail.messages.filter(isSubmission).map((m) => m.flag)).toEqual(['flag{from B}', 'flag{a}', 'flag{from A}']);
    expect(watcher.messages.filter(isSubmission)).toEqual([]);
    tail.close();
    watcher.close();
  });

  it("the overview on A counts B's sockets and both instances' submits", async () => {
    const onB = await player(b.url, 'p2');
    const sockets = await Promise.all([0, 1, 2].map(() => Stream.open(onB.websocketUrl as string)));
    const ada = await admin(a.url);
    // Counts travel every 5 s.
    const deadline = Date.now() + 12_000;
    let o: OverviewResponse;
    do {
      o = (await ada.request<OverviewResponse>('GET', '/api/admin/overview')).body;
      if (o.sockets >= 3) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < deadline);
    expect(o.sockets).toBeGreaterThanOrEqual(3);
    expect(o).toMatchObject({ players: 4, players_on_board: 1, solves: 1, wrong_submissions: 2 });
    expect(o.submissions_per_minute.reduce((n, [, c]) => n + c, 0)).toBe(3);
    for (const s of sockets) s.close();
  });
});
