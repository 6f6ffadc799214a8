import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Stream, type Message } from '../helpers/client.js';
import { writeGame } from '../helpers/game.js';
import { startServer, tempDir, type TestServer } from '../helpers/server.js';
import { admin, CHALLENGES } from './event-helpers.js';
import { player } from './event-helpers.js';

/** Team mode (SPEC §9) over HTTP and the scorestream, on SQLite and, when its services are up, on PostgreSQL + Redis. */
const BACKENDS: Array<'sqlite' | 'postgres'> = process.env.CTFG_TEST_POSTGRES_URL && process.env.CTFG_TEST_REDIS_URL ? ['sqlite', 'postgres'] : ['sqlite'];

const TEAM_CHALLENGES = [
  { ...CHALLENGES[0], description: 'for @TEAM@ in @DIVISION@', hints: [{ id: 1, text: 'h1', cost: 60 }, { id: 2, text: 'h2', cost: 30 }] },
  { ...CHALLENGES[1], requirements: [1] },
];
const CREDENTIALS = 'username,password,team,division\na1,pw-a1,Red Team,Open\na2,pw-a2,Red Team,Open\nb1,pw-b1,Blue Team,Student\nb2,pw-b2,Blue Team,Student\n';

type Row = { pos: number; displayname: string; team?: string; members?: string[]; score: number; solves: number; division?: string };
type Item = { id: number; solved: boolean; description: string; hints: Array<{ id: number; text?: string }>; first_solvers: Array<{ name: string }> };

/** Logs in with the `pw-<name>` passwords these games use. */
const enter = player;

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

describe.each(BACKENDS)('teams on %s', (backend) => {
  it('solves, requirements, hints and the board are the team’s; events name player and team', async () => {
    const gameDir = writeGame({ challenges: TEAM_CHALLENGES, credentials: CREDENTIALS });
    const s = await startServer({ gameDir, backend, dbDir: tempDir('ctfg-teams-') });
    servers.push(s);
    const [a1, a2, b1] = [await enter(s.url, 'a1'), await enter(s.url, 'a2'), await enter(s.url, 'b1')];
    expect((await a2.request('GET', '/api/me')).body).toMatchObject({ team: 'Red Team', division: 'Open' });
    const watch = await Stream.open(b1.websocketUrl as string);
    await watch.waitFor((m: Message) => !Array.isArray(m) && m.type === 'snapshot');

    // Only one of many parallel submits from both members counts; the teammate then gets already_solved.
    const race = await Promise.all([a1, a2, a1, a2].map((c) => c.submit(1, 'flag{a}')));
    expect(race.filter((r) => r.body.result === 'correct')).toHaveLength(1);
    expect((await a2.submit(1, 'flag{a}')).body).toEqual({ result: 'already_solved', total: 100 });
    const event = await watch.waitFor((m) => Array.isArray(m) && m.some((e) => e.team === 'Red Team'));
    expect((event as Array<Record<string, unknown>>)[0]).toMatchObject({ type: 'score', team: 'Red Team', challenge_id: 1, points: 100 });
    expect(['Name a1', 'Name a2']).toContain((event as Array<Record<string, unknown>>)[0]?.displayname);

    // The teammate sees it solved, its requirement met, and the description for the team.
    const list = (await a2.request<Item[]>('GET', '/api/challenges')).body;
    expect(list.map((c) => [c.id, c.solved])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(list[0]?.description).toBe('for Red Team in Open');
    expect(list[0]?.first_solvers.map((f) => f.name)).toEqual(['Red Team']);
    expect((await a2.submit(2, 'flag{b}')).body).toEqual({ result: 'correct', points: 200, total: 300 });

    // Hints: bought once for the team, paid from its 300, never overspent by parallel buyers.
    const buys = await Promise.all([a1.hint(1, 1), a2.hint(1, 1), a1.hint(1, 1)]);
    expect(buys.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await a2.request<Item[]>('GET', '/api/challenges')).body[0]?.hints[0]?.text).toBe('h1');
    expect((await a1.hint(1, 2)).body).toEqual({ result: 'ok' });
    expect((await a1.request('GET', '/api/me')).body).toMatchObject({ score: 300 - 60 - 30 });

    const board = (await b1.request<{ standings: Row[] }>('GET', '/api/scoreboard')).body.standings;
    expect(board).toEqual([{ pos: 1, displayname: 'Red Team', team: 'Red Team', members: ['Name a1', 'Name a2'], score: 210, solves: 2, last_ts: expect.any(Number), division: 'Open' }]);
    expect((await b1.request<{ standings: Row[] }>('GET', '/api/scoreboard?division=Student')).body.standings).toEqual([]);

    // A member's new name reaches every board at once, in a board message of its own (no solve needed).
    expect((await a2.request('POST', '/api/set-name', { name: 'Renamed a2' })).status).toBe(200);
    const patch = await watch.waitFor((m) => !Array.isArray(m) && m.type === 'board' && JSON.stringify(m).includes('Renamed a2'), 2000);
    expect((patch as { rows: Row[] }).rows).toEqual([expect.objectContaining({ displayname: 'Red Team', members: ['Name a1', 'Renamed a2'], score: 210 })]);

    // The results export: one line per member, with the team's figures.
    const csv = await (await admin(s.url)).request<string>('GET', '/api/admin/export/results.csv');
    expect(csv.body.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 6))).toEqual([
      ['1', 'a1', 'Name a1', 'Red Team', 'Open', '210'],
      ['1', 'a2', 'Renamed a2', 'Red Team', 'Open', '210'],
    ]);
    watch.close();
  });

  it('a reload may not move a player with events to another team, nor turn team mode off', async () => {
    const gameDir = writeGame({ challenges: CHALLENGES, credentials: CREDENTIALS });
    const s = await startServer({ gameDir, backend, dbDir: tempDir('ctfg-teams-') });
    servers.push(s);
    const a1 = await enter(s.url, 'a1');
    await a1.submit(1, 'flag{a}');
    const a = await admin(s.url);
    const file = path.join(gameDir, 'credentials.csv');
    fs.writeFileSync(file, CREDENTIALS.replace('a1,pw-a1,Red Team', 'a1,pw-a1,Blue Team').replace('Blue Team,Student\nb2', 'Blue Team,Open\nb2').replace('b1,pw-b1,Blue Team,Student', 'b1,pw-b1,Blue Team,Open').replace('b2,pw-b2,Blue Team,Student', 'b2,pw-b2,Blue Team,Open'));
    const moved = await a.request<{ error: string; problems: Array<{ where: string; message: string }> }>('POST', '/api/admin/reload');
    expect(moved.status).toBe(422);
    expect(moved.body.problems.map((p) => p.where)).toEqual(['player "a1"']);
    fs.writeFileSync(file, 'username,password\na1,pw-a1\na2,pw-a2\nb1,pw-b1\nb2,pw-b2\n');
    const off = await a.request<{ problems: Array<{ message: string }> }>('POST', '/api/admin/reload');
    expect(off.status).toBe(422);
    expect(off.body.problems[0]?.message).toMatch(/turns team mode off/);
    fs.writeFileSync(file, CREDENTIALS.replace('b2,pw-b2,Blue Team,Student', 'b2,pw-b2,Red Team,Student'));
    const split = await a.request<{ problems: Array<{ message: string }> }>('POST', '/api/admin/reload');
    expect(split.status).toBe(422);
    expect(split.body.problems[0]?.message).toMatch(/split across divisions/);
  });
});
