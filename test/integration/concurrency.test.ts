import { afterAll, describe, expect, it } from 'vitest';
import { Client, Stream } from '../helpers/client.js';
import { writeGame } from '../helpers/game.js';
import { startServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe('concurrent duplicates', () => {
  it('records 200 parallel identical correct submits exactly once, with one broadcast', async () => {
    const server = await startServer();
    servers.push(server);
    const c = new Client(server.url);
    await c.enter('player1', 'password1', 'Racer');
    const watcher = new Client(server.url);
    await watcher.enter('player2', 'password2', 'Watcher');
    const stream = await Stream.open(watcher.websocketUrl as string);
    await stream.waitFor((m) => !Array.isArray(m));

    const results = await Promise.all(Array.from({ length: 200 }, () => c.submit(1, '26')));
    const kinds = results.map((r) => (r.status === 200 ? String(r.body.result) : `status ${r.status}`));
    expect(kinds.filter((k) => k === 'correct')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'already_solved')).toHaveLength(199);

    // Another solve after it proves the first broadcast had time to arrive.
    await c.submit(2, '32');
    await stream.waitFor((m) => Array.isArray(m) && m.some((e) => e.challenge_id === 2));
    const racerSolves = stream.events().filter((e) => e.displayname === 'Racer' && e.challenge_id === 1);
    expect(racerSolves).toHaveLength(1);
    const board = await c.request<{ standings: Array<Record<string, unknown>> }>('GET', '/api/scoreboard');
    expect(board.body.standings.find((r) => r.displayname === 'Racer')).toMatchObject({ score: 220, solves: 2 });
  });

  it('never sells more hints than the score allows, however parallel', async () => {
    // One 100-point challenge, five challenges with a single 30-point hint each: 3 are affordable.
    const challenges = [
      { id: 1, title: 'Seed', category: 'c', difficulty: 'Easy', points: 100, description: 'd', flag: '^seed$', testflag: 'seed' },
      ...[2, 3, 4, 5, 6].map((id) => ({
        id,
        title: `H${id}`,
        category: 'c',
        difficulty: 'Easy',
        points: 10,
        description: 'd',
        flag: `^h${id}$`,
        hints: [{ id: 1, text: `hint ${id}`, cost: 30 }],
      })),
    ];
    const server = await startServer({ gameDir: writeGame({ challenges }), env: { CTFG_RATE_HINT: '1000,0.01' } });
    servers.push(server);
    const c = new Client(server.url);
    await c.enter('player1', 'password1', 'Spender');
    expect((await c.submit(1, 'seed')).body).toMatchObject({ result: 'correct', total: 100 });

    const attempts = [2, 3, 4, 5, 6].flatMap((id) => Array.from({ length: 10 }, () => c.hint(id, 1)));
    const results = await Promise.all(attempts);
    const ok = results.filter((r) => r.status === 200);
    expect(ok).toHaveLength(3);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect([400, 402]).toContain(r.status);
      expect(['already_purchased', 'insufficient_points']).toContain(r.body.error);
    }
    const board = await c.request<{ standings: Array<Record<string, unknown>> }>('GET', '/api/scoreboard');
    expect(board.body.standings[0]).toMatchObject({ displayname: 'Spender', score: 10 });
  });
});
