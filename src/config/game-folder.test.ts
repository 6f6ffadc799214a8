import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileFlag, isCorrectFlag } from '../domain/flag.js';
import type { GameFileProblem } from '../domain/types.js';
import { formatProblems, loadGameFolder, reloadChallenges } from './game-folder.js';

/** The repository's own compatible-format game (test/fixtures/game). */
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/game/', import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctfg-game-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A writable copy of the fixture game. Files are re-written rather than
 * copied, because copies of the read-only fixture would stay read-only.
 */
async function copyFixture(): Promise<string> {
  const game = join(dir, 'game');
  await mkdir(join(game, 'images'), { recursive: true });
  for (const file of ['challenges.json', 'credentials.csv', 'game-clusters.yaml', 'images/banner.png']) {
    await writeFile(join(game, file), await readFile(join(FIXTURE, file)));
  }
  return game;
}

type RawChallenge = Record<string, unknown> & { id: number; hints?: Record<string, unknown>[]; requirements?: number[] };

async function editChallenges(game: string, edit: (list: RawChallenge[]) => void): Promise<void> {
  const path = join(game, 'challenges.json');
  const list = JSON.parse(await readFile(path, 'utf8')) as RawChallenge[];
  edit(list);
  await writeFile(path, JSON.stringify(list, null, 2));
}

function byId(list: RawChallenge[], id: number): RawChallenge {
  const found = list.find((c) => c.id === id);
  if (!found) throw new Error(`no challenge ${id}`);
  return found;
}

async function problemsFor(game: string): Promise<readonly GameFileProblem[]> {
  const result = await loadGameFolder({ gameDir: game });
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('loadGameFolder: the compatibility fixture', () => {
  it('loads 15 challenges, 500 players, the clusters and the banner', async () => {
    const result = await loadGameFolder({ gameDir: FIXTURE, processEnv: { CTFG_API_TOKEN: 't' } });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    const game = result.value;
    expect(game.challenges).toHaveLength(15);
    expect(game.credentials).toHaveLength(500);
    expect(game.credentials[0]).toEqual({ username: 'player1', password: 'password1' });
    expect(game.clusters).toEqual({ controlCluster: 'control.lighthouse.test', playerClusters: ['north.lighthouse.test', 'south.lighthouse.test'] });
    expect(game.bannerPath).toBe(join(FIXTURE, 'images', 'banner.png'));
    expect(game.env).toEqual({ CTFG_API_TOKEN: 't' });
    const withPrereqs = game.challenges.filter((c) => c.requirements.length > 0);
    expect(withPrereqs.length).toBeGreaterThan(0);
  });

  it('has a testflag that solves every challenge', async () => {
    const result = await loadGameFolder({ gameDir: FIXTURE });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    for (const c of result.value.challenges) {
      const compiled = compileFlag(c.flag);
      expect(compiled.ok && isCorrectFlag(compiled.matcher, c.testflag ?? '')).toBe(true);
    }
  });
});

describe('loadGameFolder: optional files', () => {
  it('works without clusters, banner or .env, and reads .env when present', async () => {
    const game = await copyFixture();
    await rm(join(game, 'game-clusters.yaml'));
    await rm(join(game, 'images'), { recursive: true });
    let result = await loadGameFolder({ gameDir: game });
    expect(result.ok && result.value.clusters).toBeNull();
    expect(result.ok && result.value.bannerPath).toBeNull();
    await writeFile(join(game, '.env'), 'CTFG_ADMIN_TOKEN=from-file\nCTFG_API_TOKEN=from-file\n');
    result = await loadGameFolder({ gameDir: game, processEnv: { CTFG_API_TOKEN: 'from-env' } });
    expect(result.ok && result.value.env).toEqual({ CTFG_ADMIN_TOKEN: 'from-file', CTFG_API_TOKEN: 'from-env' });
  });

  it('prefers images/banner.jpg over banner.png', async () => {
    const game = await copyFixture();
    await writeFile(join(game, 'images', 'banner.jpg'), 'jpeg');
    const result = await loadGameFolder({ gameDir: game });
    expect(result.ok && result.value.bannerPath).toBe(join(game, 'images', 'banner.jpg'));
  });

  it('ignores a banner that is not a file', async () => {
    const game = await copyFixture();
    await rm(join(game, 'images', 'banner.png'));
    await mkdir(join(game, 'images', 'banner.jpg'));
    const result = await loadGameFolder({ gameDir: game });
    expect(result.ok && result.value.bannerPath).toBeNull();
  });

  it('reads challenges from challengesPath when given', async () => {
    const game = await copyFixture();
    const other = join(dir, 'other.json');
    await writeFile(other, JSON.stringify([{ id: 1, title: 't', category: 'c', difficulty: 'd', points: 1, description: '', flag: 'x' }]));
    await rm(join(game, 'challenges.json'));
    const result = await loadGameFolder({ gameDir: game, challengesPath: other });
    expect(result.ok && result.value.challenges.map((c) => c.id)).toEqual([1]);
  });
});

describe('loadGameFolder: problems', () => {
  it('names a missing challenges.json or credentials.csv and suggests ctfg init', async () => {
    const problems = await problemsFor(join(dir, 'empty'));
    expect(problems.map((p) => p.file)).toEqual([join(dir, 'empty', 'challenges.json'), join(dir, 'empty', 'credentials.csv')]);
    for (const p of problems) expect(p.message).toMatch(/file not found.*ctfg init/);
  });

  it('reports every broken rule in challenges.json, each with challenge id and field', async () => {
    const game = await copyFixture();
    await editChallenges(game, (list) => {
      byId(list, 2).flag = '^(32$'; // does not compile
      byId(list, 3).testflag = '11'; // does not match ^10$
      byId(list, 4).requirements = [3, 99]; // unknown id
      byId(list, 5).requirements = [12]; // 5 → 12 → 5
      byId(list, 6).hints = [
        { id: 1, text: 'a', cost: 0 },
        { id: 1, text: 'b', cost: 5 },
      ];
      byId(list, 7).points = -10;
      (byId(list, 8).hints ?? [])[0]!.cost = -1;
      delete byId(list, 9).title;
      byId(list, 10).points = '180';
      list.push({ ...byId(list, 11) }); // duplicate id 11
    });
    const problems = await problemsFor(game);
    const expected: [string, RegExp][] = [
      ['challenge 2, field flag', /not a valid regular expression/],
      ['challenge 3, field testflag', /does not match flag/],
      ['challenge 4, field requirements[1]', /requires challenge 99, which does not exist/],
      ['challenge 5, field requirements', /requirement cycle 5 → 12 → 5/],
      ['challenge 6, field hints[1].id', /hint id 1 is already used/],
      ['challenge 7, field points', /must not be negative/],
      ['challenge 8, field hints[0].cost', /must not be negative/],
      ['challenge 9, field title', /is required/],
      ['challenge 10, field points', /must be an integer/],
      ['challenge 11, field id', /used by 2 challenges/],
    ];
    for (const [where, message] of expected) {
      const found = problems.filter((p) => p.where === where);
      expect(found, `${where} in ${JSON.stringify(problems, null, 1)}`).toHaveLength(1);
      expect(found[0]?.message).toMatch(message);
      expect(found[0]?.file).toBe(join(game, 'challenges.json'));
    }
    expect(problems).toHaveLength(expected.length);
  });

  it('reports problems of every file together', async () => {
    const game = await copyFixture();
    await writeFile(join(game, 'challenges.json'), '[{"id": 1,}]');
    await writeFile(join(game, 'credentials.csv'), 'username,password\nalice,a\nalice,b\n');
    await writeFile(join(game, 'game-clusters.yaml'), 'control_cluster: c\nplayer_clusters: []\nextra: 1\n');
    const problems = await problemsFor(game);
    const files = new Set(problems.map((p) => p.file));
    expect(files).toEqual(
      new Set([join(game, 'challenges.json'), join(game, 'credentials.csv'), join(game, 'game-clusters.yaml')]),
    );
    const report = formatProblems(problems);
    expect(report).toContain(`${join(game, 'credentials.csv')}\n  line 3: duplicate username "alice" (first on line 2)`);
    expect(report).toMatch(/4 problems found/);
  });
});

describe('reloadChallenges', () => {
  it('re-reads one file and reports its problems', async () => {
    const game = await copyFixture();
    const path = join(game, 'challenges.json');
    const good = await reloadChallenges(path);
    expect(good.ok && good.value).toHaveLength(15);
    await writeFile(path, '[');
    const bad = await reloadChallenges(path);
    expect(bad.ok).toBe(false);
    await rm(path);
    const missing = await reloadChallenges(path);
    expect(!missing.ok && missing.problems[0]?.message).toBe('file not found');
  });
});

describe('formatProblems', () => {
  it('groups by file, one line per problem, with a count', () => {
    const text = formatProblems([
      { file: 'a.json', where: 'challenge 1, field flag', message: 'bad' },
      { file: 'b.csv', where: 'line 2', message: 'worse' },
      { file: 'a.json', where: 'challenge 2, field id', message: 'also bad' },
    ]);
    expect(text).toBe(
      [
        'a.json',
        '  challenge 1, field flag: bad',
        '  challenge 2, field id: also bad',
        'b.csv',
        '  line 2: worse',
        '3 problems found in the game files.',
      ].join('\n'),
    );
  });
});
