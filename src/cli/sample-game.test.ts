import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseChallenges } from '../config/challenges.js';
import { formatProblems, loadGameFolder } from '../config/game-folder.js';
import { compileFlag, isCorrectFlag } from '../domain/flag.js';
import { compileDescription } from '../domain/placeholders.js';
import { writeSampleGame } from './sample-game.js';
import { SAMPLE_CHALLENGES } from './sample-game/challenges.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctfg-init-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sample challenges', () => {
  const parsed = parseChallenges(JSON.stringify(SAMPLE_CHALLENGES));
  if (!parsed.ok) throw new Error(formatProblems(parsed.problems));
  const challenges = parsed.value;

  it('pass every load-time check', () => {
    expect(challenges.length).toBeGreaterThanOrEqual(10);
    expect(new Set(challenges.map((c) => c.category)).size).toBeGreaterThanOrEqual(4);
  });

  it('are all solved by their testflag, and not by another challenge\'s', () => {
    for (const c of challenges) {
      expect(c.testflag, `challenge ${c.id}`).toBeDefined();
      const compiled = compileFlag(c.flag);
      if (!compiled.ok) throw new Error(compiled.message);
      expect(isCorrectFlag(compiled.matcher, c.testflag ?? ''), `challenge ${c.id}`).toBe(true);
      for (const other of challenges) {
        if (other.id !== c.id) expect(isCorrectFlag(compiled.matcher, other.testflag ?? '')).toBe(false);
      }
    }
  });

  it('have a chain, a branch, free and paid hints, and a placeholder', () => {
    const byId = new Map(challenges.map((c) => [c.id, c]));
    // A chain of at least three: something requires something that requires something.
    const depth = (id: number): number => 1 + Math.max(0, ...(byId.get(id)?.requirements ?? []).map(depth));
    expect(Math.max(...challenges.map((c) => depth(c.id)))).toBeGreaterThanOrEqual(3);
    // A branch: one challenge unlocks several.
    const unlocks = new Map<number, number>();
    for (const c of challenges) for (const r of c.requirements) unlocks.set(r, (unlocks.get(r) ?? 0) + 1);
    expect(Math.max(...unlocks.values())).toBeGreaterThanOrEqual(2);
    const costs = challenges.flatMap((c) => c.hints.map((h) => h.cost));
    expect(costs).toContain(0);
    expect(costs.some((cost) => cost > 0)).toBe(true);
    expect(challenges.some((c) => /@(USERNAME|OBFUSCATED_DISPLAYNAME)@/.test(c.description))).toBe(true);
  });

  it('hide the puzzle answers: descriptions never contain the flag in plain text, except the warm-up and the inspect puzzle', () => {
    const openBook = new Set([1, 4]);
    for (const c of challenges) {
      if (!openBook.has(c.id)) expect(c.description, `challenge ${c.id}`).not.toContain(c.testflag);
    }
  });

  it('decode to their testflags the way the hints say', () => {
    const get = (id: number): { code: string; testflag: string } => {
      const c = SAMPLE_CHALLENGES.find((x) => x.id === id);
      const code = /```\n(.*)\n```/.exec(c?.description ?? '')?.[1];
      if (c?.testflag === undefined || code === undefined) throw new Error(`challenge ${id} has no code block`);
      return { code, testflag: c.testflag };
    };
    const badge = get(2);
    expect(atob(badge.code)).toBe(badge.testflag);
    const memory = get(12);
    expect((memory.code.match(/../g) ?? []).map((h) => String.fromCharCode(parseInt(h, 16))).join('')).toBe(memory.testflag);
    const cargo = get(5);
    expect(cargo.code.replace(/[a-z]/gi, (ch) => String.fromCharCode(((ch.toLowerCase().charCodeAt(0) - 97 + 23) % 26) + (ch < 'a' ? 65 : 97)))).toBe(cargo.testflag);
    // The exact one-liner from the Escape Pod's last hint.
    const pod = get(10);
    const rot13 = (c: string): string => String.fromCharCode((c.toLowerCase().charCodeAt(0) - 84) % 26 + (c < 'a' ? 65 : 97));
    expect([...pod.code].reverse().join('').replace(/[a-z]/gi, rot13)).toBe(pod.testflag);
  });

  it('render placeholders for a player', () => {
    const rollCall = challenges.find((c) => c.description.includes('@USERNAME@'));
    const render = compileDescription(rollCall?.description ?? '', {
      maskKey: 'k',
      clusters: { controlCluster: 'ctl', playerClusters: ['a', 'b'] },
    });
    const text = render({ username: 'player3', userId: 3, displayName: 'Ada' });
    expect(text).toContain('player3');
    expect(text).not.toMatch(/@[A-Z_]+@/);
  });
});

describe('writeSampleGame', () => {
  it('writes a game that loads cleanly', async () => {
    const game = join(dir, 'new-game');
    const { written } = await writeSampleGame(game);
    expect(written.sort()).toEqual(
      ['.env', 'README.md', 'challenges.json', 'credentials.csv', 'event.yaml', 'game-clusters.yaml'].map((f) => join(game, f)).sort(),
    );
    const result = await loadGameFolder({ gameDir: game });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    expect(result.value.challenges.length).toBeGreaterThanOrEqual(10);
    expect(result.value.credentials).toHaveLength(20);
    expect(result.value.credentials[0]?.username).toBe('player1');
    expect(result.value.clusters?.playerClusters.length).toBeGreaterThan(0);
    expect(result.value.event.title).toBe('Heist on Station Meridian');
  });

  it('--teams writes a team game with two divisions and a few dynamic challenges (SPEC §9)', async () => {
    const game = join(dir, 'team-game');
    await writeSampleGame(game, { teams: true });
    const result = await loadGameFolder({ gameDir: game });
    if (!result.ok) throw new Error(formatProblems(result.problems));
    const teams = new Set(result.value.credentials.map((c) => c.team));
    expect(teams.size).toBe(5);
    expect(new Set(result.value.credentials.map((c) => c.division))).toEqual(new Set(['Student', 'Open']));
    expect(result.value.credentials.every((c) => c.team !== undefined)).toBe(true);
    const dynamic = result.value.challenges.filter((c) => c.decay !== undefined);
    expect(dynamic.length).toBeGreaterThanOrEqual(3);
    expect(dynamic.every((c) => c.decay !== undefined && c.decay.minimum < c.points)).toBe(true);
  });

  it('generates fresh tokens and passwords every time, and keeps secrets private', async () => {
    await writeSampleGame(join(dir, 'a'));
    await writeSampleGame(join(dir, 'b'));
    const envA = parseEnv(await readFile(join(dir, 'a', '.env'), 'utf8'));
    const envB = parseEnv(await readFile(join(dir, 'b', '.env'), 'utf8'));
    expect(envA.CTFG_API_TOKEN).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(envA.CTFG_ADMIN_TOKEN).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(envA.CTFG_API_TOKEN).not.toBe(envA.CTFG_ADMIN_TOKEN);
    // A random mask key per game, never the public default (issue 13 finding 10).
    expect(envA.CTFG_MASK_KEY).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(envA.CTFG_MASK_KEY).not.toBe(envB.CTFG_MASK_KEY);
    // Its own key for @SIGNED_DISPLAYNAME@, apart from the recoverable mask key.
    expect(envA.CTFG_SIGN_KEY).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(envA.CTFG_SIGN_KEY).not.toBe(envA.CTFG_MASK_KEY);
    expect(envA.CTFG_SIGN_KEY).not.toBe(envB.CTFG_SIGN_KEY);
    expect(envA.CTFG_API_TOKEN).not.toBe(envB.CTFG_API_TOKEN);
    const credsA = await readFile(join(dir, 'a', 'credentials.csv'), 'utf8');
    const credsB = await readFile(join(dir, 'b', 'credentials.csv'), 'utf8');
    expect(credsA.split('\n')[0]).toBe('username,password');
    expect(credsA).toMatch(/^player20,[a-z]+-[a-z]+-\d{3}$/m);
    expect(credsA).not.toBe(credsB);
    expect((await stat(join(dir, 'a', '.env'))).mode & 0o077).toBe(0);
  });

  it('never overwrites an existing game', async () => {
    for (const marker of ['challenges.json', 'credentials.csv']) {
      const game = join(dir, marker);
      await mkdir(game);
      await writeFile(join(game, marker), 'mine');
      await expect(writeSampleGame(game)).rejects.toThrow(/already exists.*never overwrites/);
      expect(await readFile(join(game, marker), 'utf8')).toBe('mine');
    }
  });

  it('keeps an existing .env or clusters file and says it did not write them', async () => {
    await writeFile(join(dir, '.env'), 'CTFG_API_TOKEN=mine\n');
    const { written } = await writeSampleGame(dir);
    expect(written).not.toContain(join(dir, '.env'));
    expect(written).toContain(join(dir, 'challenges.json'));
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('CTFG_API_TOKEN=mine\n');
  });
});
