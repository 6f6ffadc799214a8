import { afterAll, describe, expect, it } from 'vitest';
import { compareStandings } from '../../src/domain/rules.js';
import { Client } from '../helpers/client.js';
import { readEvents, type StoredEvent } from '../helpers/db-reader.js';
import { fixtureChallenges, prerequisiteOrder } from '../helpers/game.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';

/** Standings recomputed from the database alone, by the documented rule. */
function replay(rows: readonly StoredEvent[]): Array<{ displayname: string; score: number; solves: number }> {
  const players = new Map<number, { displayname: string; score: number; solves: number; lastTs: number }>();
  for (const r of rows) {
    let p = players.get(r.user_id);
    if (!p) players.set(r.user_id, (p = { displayname: r.displayname ?? r.username, score: 0, solves: 0, lastTs: r.ts }));
    p.score += r.points;
    if (r.kind === 'score') p.solves++;
    if (r.points !== 0) p.lastTs = r.ts;
  }
  return [...players.values()].sort(compareStandings).map(({ displayname, score, solves }) => ({ displayname, score, solves }));
}

const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) if (s.process.exitCode === null) await s.stop();
});

describe('crash safety', () => {
  it('keeps every acknowledged solve exactly once across kill -9, with sessions intact', async () => {
    const dbDir = tempDir('ctfg-crash-');
    const first = await startServer({ dbDir });
    servers.push(first);
    const order = prerequisiteOrder(fixtureChallenges() as Array<{ id: number; requirements?: number[] }>);
    const flags = new Map(fixtureChallenges().map((c) => [c.id as number, c.testflag as string]));

    const players = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const c = new Client(first.url);
        await c.enter(`player${i + 1}`, `password${i + 1}`, `Crash ${i + 1}`);
        return c;
      }),
    );
    const acknowledged: Array<{ player: number; id: number }> = [];
    const storm = players.map(async (c, i) => {
      for (const id of order) {
        try {
          const r = await c.submit(id, flags.get(id) as string);
          if (r.status === 200 && r.body.result === 'correct') acknowledged.push({ player: i, id });
        } catch {
          return; // the server died under this request: no answer, no promise made
        }
      }
    });
    // Kill in the middle of the storm.
    while (acknowledged.length < 120) await new Promise((r) => setTimeout(r, 2));
    await first.kill();
    await Promise.all(storm);
    expect(acknowledged.length).toBeLessThan(players.length * order.length);

    const stored = await readEvents(dbDir);
    for (const a of acknowledged) {
      const solves = stored.filter((e) => e.username === `player${a.player + 1}` && e.challenge_id === a.id && e.kind === 'score');
      expect(solves).toHaveLength(1);
    }
    const expected = replay(stored);
    const second = await startServer({ dbDir });
    servers.push(second);
    const moved = players.map((c) => Object.assign(new Client(second.url), { cookie: c.cookie }));
    for (const c of moved) expect((await c.request('GET', '/api/me')).status).toBe(200);
    const board = await moved[0]!.request<{ standings: Array<{ displayname: string; score: number; solves: number }> }>('GET', '/api/scoreboard');
    expect(board.body.standings.map(({ displayname, score, solves }) => ({ displayname, score, solves }))).toEqual(expected);
    const solvedAfter = new Map<number, Set<number>>();
    for (const [i, c] of moved.entries()) {
      const list = await c.request<Array<{ id: number; solved: boolean }>>('GET', '/api/challenges');
      solvedAfter.set(i, new Set(list.body.filter((ch) => ch.solved).map((ch) => ch.id)));
    }
    for (const a of acknowledged) expect(solvedAfter.get(a.player)?.has(a.id)).toBe(true);
  });
});
