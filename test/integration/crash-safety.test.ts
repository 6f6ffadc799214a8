import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compareStandings } from '../../src/domain/rules.js';
import { Client } from '../helpers/client.js';
import { fixtureChallenges, prerequisiteOrder } from '../helpers/game.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';

interface EventRow {
  user_id: number;
  challenge_id: number;
  kind: string;
  points: number;
  ts: number;
  displayname: string | null;
  username: string;
}

/** Standings recomputed from the database alone, by the documented rule. */
function replay(dbFile: string): Array<{ displayname: string; score: number; solves: number }> {
  const db = new Database(dbFile);
  const rows = db
    .prepare('SELECT e.*, u.displayname, u.username FROM events e JOIN users u ON u.id = e.user_id ORDER BY e.id')
    .all() as EventRow[];
  db.close();
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

    const db = new Database(path.join(dbDir, 'events.db'));
    const count = db.prepare("SELECT COUNT(*) AS n FROM events e JOIN users u ON u.id = e.user_id WHERE u.username = ? AND e.challenge_id = ? AND e.kind = 'score'");
    for (const a of acknowledged) {
      expect((count.get(`player${a.player + 1}`, a.id) as { n: number }).n).toBe(1);
    }
    db.close();

    const expected = replay(path.join(dbDir, 'events.db'));
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
