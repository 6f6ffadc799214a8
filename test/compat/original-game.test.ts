import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblems, loadGameFolder } from '../../src/config/game-folder.js';
import { compileFlag, isCorrectFlag } from '../../src/domain/flag.js';
import { Client, Stream } from '../helpers/client.js';
import { prerequisiteOrder } from '../helpers/game.js';
import { REPO_ROOT, runCli, startServer, type TestServer } from '../helpers/server.js';

/**
 * `npm run test:compat`: the earlier engine's original game files, which the
 * repository does not carry. They sit beside it (../shared/fixtures/compat-game)
 * or wherever CTFG_COMPAT_GAME points; without them this suite fails, never skips.
 */
const COMPAT_GAME = path.resolve(process.env.CTFG_COMPAT_GAME ?? path.join(REPO_ROOT, '..', 'shared', 'fixtures', 'compat-game'));
if (!fs.existsSync(path.join(COMPAT_GAME, 'challenges.json'))) {
  throw new Error(
    `test:compat needs the earlier engine's original game files, and ${COMPAT_GAME}/challenges.json is missing: ` +
      'put them in ../shared/fixtures/compat-game beside the repository or set CTFG_COMPAT_GAME to their folder',
  );
}

interface OriginalChallenge {
  id: number;
  points: number;
  testflag: string;
  requirements?: number[];
  hints?: Array<{ id: number; cost: number }>;
}

const challenges = JSON.parse(fs.readFileSync(path.join(COMPAT_GAME, 'challenges.json'), 'utf8')) as OriginalChallenge[];
const [username, password] = (fs.readFileSync(path.join(COMPAT_GAME, 'credentials.csv'), 'utf8').split('\n')[0] ?? '').trim().split(',') as [string, string];

describe('the original game files load and validate', () => {
  it('loads every file, and every testflag matches its flag', async () => {
    const result = await loadGameFolder({ gameDir: COMPAT_GAME });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    const game = result.value;
    expect(game.challenges).toHaveLength(challenges.length);
    expect(game.credentials.length).toBeGreaterThanOrEqual(100);
    expect(game.credentials[0]).toEqual({ username, password });
    expect(game.clusters?.playerClusters.length).toBeGreaterThan(0);
    expect(game.bannerPath).not.toBeNull();
    expect(game.challenges.some((c) => c.requirements.length > 0)).toBe(true);
    for (const c of game.challenges) {
      const compiled = compileFlag(c.flag);
      expect(compiled.ok && isCorrectFlag(compiled.matcher, c.testflag ?? ''), `challenge ${c.id}`).toBe(true);
    }
  });

  it('passes ctfg validate', async () => {
    const r = await runCli(['validate', COMPAT_GAME]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`OK: ${challenges.length} challenges`);
  });
});

describe('a server plays the original game', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ gameDir: COMPAT_GAME });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('login, every testflag in prerequisite order (ids as strings), a paid hint, the scoreboard and the socket agree', async () => {
    const player = new Client(server.url);
    await player.enter(username, password, 'Compat Player');
    const stream = await Stream.open(player.websocketUrl as string);
    await stream.waitFor((m) => !Array.isArray(m) && m.type === 'snapshot');

    let total = 0;
    for (const id of prerequisiteOrder(challenges)) {
      const c = challenges.find((x) => x.id === id) as OriginalChallenge;
      // The earlier engine's load script sent ids as strings.
      const r = await player.request('POST', '/api/submit', { id: String(id), flag: c.testflag });
      total += c.points;
      expect(r.body, `challenge ${id}`).toMatchObject({ result: 'correct', total });
    }
    const paid = challenges.find((c) => (c.hints?.[0]?.cost ?? 0) > 0) as OriginalChallenge;
    const hint = paid.hints?.[0] as { id: number; cost: number };
    expect((await player.hint(paid.id, hint.id)).body).toEqual({ result: 'ok' });
    total -= hint.cost;

    const board = await player.request<{ standings: Array<Record<string, unknown>> }>('GET', '/api/scoreboard');
    expect(board.body.standings[0]).toMatchObject({ pos: 1, displayname: 'Compat Player', score: total, solves: challenges.length });

    await stream.waitFor(() => stream.events().some((e) => e.type === 'hint'));
    const events = stream.events();
    expect(events.filter((e) => e.type === 'score').map((e) => e.challenge_id)).toEqual(prerequisiteOrder(challenges));
    expect(events.find((e) => e.type === 'hint')).toMatchObject({ challenge_id: paid.id, hint_id: hint.id, points: -hint.cost });
    stream.close();
  });
});
