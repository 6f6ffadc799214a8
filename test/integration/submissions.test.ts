import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewResponse, SubmissionView, SubmissionsResponse } from '../../src/protocol/api.js';
import { Client, Stream, type Message } from '../helpers/client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { admin, adminStream, eventGame, player } from './event-helpers.js';

/** The submissions log and the overview (SPEC §8), on the backend CTFG_TEST_BACKEND names. */
let s: TestServer;
let ada: Client;
const players: Record<string, Client> = {};
/** every flag text sent, to hunt for in the server's logs */
const sent: string[] = [];
const marker = randomUUID().slice(0, 8);

beforeAll(async () => {
  s = await startServer({ gameDir: eventGame(null) });
  ada = await admin(s.url);
  for (const p of ['p1', 'p2', 'p3', 'p4']) players[p] = await player(s.url, p);
});
afterAll(async () => {
  await s?.stop();
});

async function submit(p: string, id: number, flag: string): Promise<unknown> {
  sent.push(flag);
  return (await (players[p] as Client).submit(id, flag)).body;
}

async function list(query = ''): Promise<{ status: number; body: SubmissionsResponse & { error?: string } }> {
  return ada.request<SubmissionsResponse & { error?: string }>('GET', `/api/admin/submissions${query}`);
}

/** The log is written a few milliseconds after the answer: wait until it holds `n` rows. */
async function untilLogged(n: number): Promise<readonly SubmissionView[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = (await list('?limit=500')).body.submissions;
    if (rows.length >= n || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const isSubmission = (m: Message): m is Record<string, unknown> => !Array.isArray(m) && m.type === 'submission';

describe('the submissions log (SPEC §8)', () => {
  it('is for admins only', async () => {
    for (const path of ['/api/admin/submissions', '/api/admin/overview']) {
      expect(await new Client(s.url).request('GET', path)).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(await (players.p1 as Client).request('GET', path)).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    }
  });

  it('records every judged submit, newest first, and tails it to admin sockets only', async () => {
    const tail = await adminStream(ada);
    const watcher = await Stream.open((players.p3 as Client).websocketUrl as string);
    await submit('p1', 1, `flag{nope-${marker}}`);
    expect(await submit('p1', 1, 'flag{a}')).toMatchObject({ result: 'correct' });
    await submit('p2', 2, `guess two ${marker}`);
    // Not judged: already solved (never compared), unknown challenge.
    expect(await submit('p1', 1, 'flag{a}')).toMatchObject({ result: 'already_solved' });
    await (players.p1 as Client).submit(99, 'flag{x}');
    const rows = await untilLogged(3);
    expect(rows.map((r) => [r.username, r.displayname, r.challenge_id, r.result, r.flag, r.address])).toEqual([
      ['p2', 'Name p2', 2, 'incorrect', `guess two ${marker}`, '127.0.0.1'],
      ['p1', 'Name p1', 1, 'correct', 'flag{a}', '127.0.0.1'],
      ['p1', 'Name p1', 1, 'incorrect', `flag{nope-${marker}}`, '127.0.0.1'],
    ]);
    expect(rows[0]!.id).toBeGreaterThan(rows[1]!.id);
    expect(Math.abs(rows[0]!.ts - Date.now())).toBeLessThan(60_000);
    await tail.waitFor((m) => tail.messages.filter(isSubmission).length >= 3 || m === null);
    expect(tail.messages.filter(isSubmission)).toEqual([...rows].reverse().map((r) => ({ type: 'submission', ...r })));
    await new Promise((r) => setTimeout(r, 200));
    expect(watcher.messages.filter(isSubmission)).toEqual([]);
    tail.close();
    watcher.close();
  });

  it('filters by player, challenge and result, and pages back with before_id', async () => {
    for (let i = 0; i < 5; i++) await submit('p3', 2, `p3 try ${i} ${marker}`);
    for (let i = 0; i < 3; i++) await submit('p4', 1, `p4 try ${i} ${marker}`);
    const all = await untilLogged(11);
    expect(all).toHaveLength(11);
    const ofP3 = (await list('?username=p3')).body.submissions;
    expect(ofP3.map((r) => r.flag)).toEqual([4, 3, 2, 1, 0].map((i) => `p3 try ${i} ${marker}`));
    expect((await list('?challenge_id=2')).body.submissions.map((r) => r.id)).toEqual(all.filter((r) => r.challenge_id === 2).map((r) => r.id));
    expect((await list('?result=correct')).body.submissions.map((r) => r.flag)).toEqual(['flag{a}']);
    const combined = (await list('?username=p1&challenge_id=1&result=incorrect')).body.submissions;
    expect(combined.map((r) => r.flag)).toEqual([`flag{nope-${marker}}`]);
    expect((await list('?username=&challenge_id=&result=')).body.submissions).toEqual(all.slice(0, 100));
    const paged: SubmissionView[] = [];
    let before = '';
    for (;;) {
      const page = (await list(`?limit=4${before}`)).body.submissions;
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(4);
      paged.push(...page);
      before = `&before_id=${page[page.length - 1]!.id}`;
    }
    expect(paged).toEqual(all);
    const older = (await list(`?username=p3&limit=2&before_id=${ofP3[1]!.id}`)).body.submissions;
    expect(older).toEqual(ofP3.slice(2, 4));
  });

  it('answers a clear 400 for bad filters and 404 for unknown players and challenges', async () => {
    for (const q of ['limit=0', 'limit=501', 'limit=ten', 'result=maybe', 'before_id=-1', 'before_id=0', 'challenge_id=x', 'limit=1&limit=2']) {
      const r = await list(`?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error, q).toMatch(/limit|result|before_id|challenge_id/);
    }
    expect(await list('?username=nobody')).toMatchObject({ status: 404, body: { error: 'unknown_user' } });
    expect(await list('?challenge_id=999')).toMatchObject({ status: 404, body: { error: 'unknown_id' } });
  });

  it('keeps the first 256 characters of a flag, and no flag text reaches the logs', async () => {
    const long = `${marker}${'L'.repeat(400)}`;
    await submit('p2', 1, long);
    const [newest] = await untilLogged(12);
    expect(newest!.flag).toBe(long.slice(0, 256));
    const output = s.output();
    expect(output).toContain('/api/submit'); // the requests were logged …
    for (const flag of sent) if (flag !== 'flag{a}') expect(output).not.toContain(flag.slice(0, 40)); // … their flags were not
    expect(output).not.toContain(marker);
  });

  it('gives the overview: clock, counts, submissions per minute and the live top 10', async () => {
    const stream = await Stream.open((players.p2 as Client).websocketUrl as string);
    await stream.waitFor(() => true);
    const r = await ada.request<OverviewResponse>('GET', '/api/admin/overview');
    expect(r.status).toBe(200);
    const o = r.body;
    expect(Object.keys(o).sort()).toEqual(
      ['event', 'players', 'players_on_board', 'sockets', 'solves', 'wrong_submissions', 'submissions_per_minute', 'standings'].sort(),
    );
    expect(o.event).toMatchObject({ state: 'running', frozen: false, paused: false });
    expect(o).toMatchObject({ players: 4, players_on_board: 1, solves: 1, wrong_submissions: 11 });
    expect(o.sockets).toBeGreaterThanOrEqual(1);
    expect(o.submissions_per_minute).toHaveLength(60);
    const minutes = o.submissions_per_minute.map(([ts]) => ts);
    expect(minutes.every((ts, i) => ts % 60_000 === 0 && (i === 0 || ts - minutes[i - 1]! === 60_000))).toBe(true);
    expect(minutes[59]).toBe(Math.floor(Date.now() / 60_000) * 60_000);
    expect(o.submissions_per_minute.reduce((n, [, c]) => n + c, 0)).toBe(12);
    expect(o.standings).toEqual([{ pos: 1, displayname: 'Name p1', score: 100, solves: 1, last_ts: expect.any(Number) }]);
    stream.close();
  });
});
