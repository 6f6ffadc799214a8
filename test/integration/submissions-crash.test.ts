import { afterAll, describe, expect, it } from 'vitest';
import type { SubmissionsResponse } from '../../src/protocol/api.js';
import { Client } from '../helpers/client.js';
import { readEvents, readSubmissions } from '../helpers/db-reader.js';
import { fixtureChallenges, prerequisiteOrder } from '../helpers/game.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin } from './event-helpers.js';

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) if (s.process.exitCode === null) await s.stop();
});

async function untilLogged(a: Client, n: number): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const rows = (await a.request<SubmissionsResponse>('GET', '/api/admin/submissions?limit=500')).body.submissions;
    if (rows.length >= n || Date.now() > deadline) return rows.length;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the submissions log under kill -9', () => {
  it('loses at most the unwritten tail, and never a solve', async () => {
    const dbDir = tempDir('ctfg-subs-crash-');
    const first = await startServer({ dbDir });
    servers.push(first);
    const order = prerequisiteOrder(fixtureChallenges() as Array<{ id: number; requirements?: number[] }>);
    const flags = new Map(fixtureChallenges().map((c) => [c.id as number, c.testflag as string]));
    const players = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const c = new Client(first.url);
        await c.enter(`player${i + 1}`, `password${i + 1}`, `Sub ${i + 1}`);
        return c;
      }),
    );
    // Written before the kill: a wrong and a right flag of five players.
    for (const c of players.slice(0, 5)) {
      expect((await c.submit(order[0] as number, 'flag{wrong}')).body).toEqual({ result: 'incorrect' });
      expect((await c.submit(order[0] as number, flags.get(order[0] as number) as string)).body).toMatchObject({ result: 'correct' });
    }
    expect(await untilLogged(await admin(first.url), 10)).toBe(10);

    const acknowledged: Array<{ player: number; id: number }> = [];
    const storm = players.map(async (c, i) => {
      for (const id of i < 5 ? order.slice(1) : order) {
        try {
          const r = await c.submit(id, flags.get(id) as string);
          if (r.status === 200 && r.body.result === 'correct') acknowledged.push({ player: i, id });
        } catch {
          return; // the server died under this request
        }
      }
    });
    while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 2));
    await first.kill();
    await Promise.all(storm);

    const events = await readEvents(dbDir);
    const solved = new Set(events.filter((e) => e.kind === 'score').map((e) => `${e.username}/${e.challenge_id}`));
    for (const a of acknowledged) expect(solved.has(`player${a.player + 1}/${a.id}`)).toBe(true);

    const logged = await readSubmissions(dbDir);
    const before = logged.slice(0, 10);
    expect(before.map((r) => [r.username, r.result])).toEqual(
      [1, 2, 3, 4, 5].flatMap((n) => [
        [`player${n}`, 'incorrect'],
        [`player${n}`, 'correct'],
      ]),
    );
    // Every logged correct flag is a stored solve; per player the log holds a
    // prefix of its submits in order: only the newest, unwritten ones are missing.
    for (const r of logged.filter((l) => l.result === 'correct')) expect(solved.has(`${r.username}/${r.challenge_id}`)).toBe(true);
    for (let i = 0; i < players.length; i++) {
      const mine = logged.filter((r) => r.username === `player${i + 1}` && r.result === 'correct').map((r) => r.challenge_id);
      expect(mine).toEqual(order.slice(0, mine.length));
    }
    const unlogged = acknowledged.filter((a) => !logged.some((r) => r.username === `player${a.player + 1}` && r.challenge_id === a.id));
    expect(unlogged.length).toBeLessThan(acknowledged.length);

    // After a restart the log carries on after the rows it kept.
    const second = await startServer({ dbDir });
    servers.push(second);
    const late = new Client(second.url);
    await late.enter('player21', 'password21', 'Sub 21');
    expect((await late.submit(order[0] as number, 'flag{late}')).body).toEqual({ result: 'incorrect' });
    const ada = await admin(second.url);
    expect(await untilLogged(ada, logged.length + 1)).toBe(logged.length + 1);
    const [newest] = (await ada.request<SubmissionsResponse>('GET', '/api/admin/submissions?limit=1')).body.submissions;
    expect(newest).toMatchObject({ username: 'player21', flag: 'flag{late}' });
    expect(newest!.id).toBeGreaterThan(logged[logged.length - 1]!.id);
  }, 180_000);
});
