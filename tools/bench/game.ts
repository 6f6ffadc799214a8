import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the bench needs to know about a challenge. */
export interface BenchChallenge {
  readonly id: number;
  readonly title: string;
  readonly points: number;
  readonly testflag: string;
  readonly requirements: readonly number[];
  readonly hints: ReadonlyArray<{ readonly id: number; readonly cost: number }>;
}

export interface Credential {
  readonly username: string;
  readonly password: string;
}

export interface BenchGame {
  readonly dir: string;
  readonly challenges: readonly BenchChallenge[];
  /** challenge ids with every requirement before the challenges needing it */
  readonly order: readonly number[];
  readonly players: readonly Credential[];
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** player1/password1 … like the compat fixture, so the same names work everywhere. */
export function playerCredentials(count: number, prefix = 'player'): Credential[] {
  return Array.from({ length: count }, (_, i) => ({ username: `${prefix}${i + 1}`, password: `password${i + 1}` }));
}

export function prerequisiteOrder(challenges: readonly BenchChallenge[]): number[] {
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < challenges.length) {
    const before = order.length;
    for (const c of challenges) {
      if (!done.has(c.id) && c.requirements.every((r) => done.has(r))) {
        done.add(c.id);
        order.push(c.id);
      }
    }
    if (order.length === before) throw new Error('requirement cycle in the bench game');
  }
  return order;
}

function parseChallenges(raw: unknown): BenchChallenge[] {
  if (!Array.isArray(raw)) throw new Error('challenges.json is not an array');
  return raw.map((entry: unknown) => {
    const c = entry as Record<string, unknown>;
    if (typeof c.id !== 'number' || typeof c.testflag !== 'string') {
      throw new Error(`the bench needs every challenge to have a numeric id and a testflag (challenge ${String(c.id)})`);
    }
    const hints = Array.isArray(c.hints) ? (c.hints as Array<{ id: number; cost: number }>) : [];
    return {
      id: c.id,
      title: String(c.title ?? ''),
      points: Number(c.points ?? 0),
      testflag: c.testflag,
      requirements: Array.isArray(c.requirements) ? (c.requirements as number[]) : [],
      hints: hints.map((h) => ({ id: h.id, cost: h.cost })),
    };
  });
}

function writeFolder(challengesJson: string, players: readonly Credential[]): string {
  const dir = tempDir('ctfg-bench-game-');
  fs.writeFileSync(path.join(dir, 'challenges.json'), challengesJson);
  fs.writeFileSync(path.join(dir, 'credentials.csv'), `username,password\n${players.map((p) => `${p.username},${p.password}`).join('\n')}\n`);
  return dir;
}

function finish(dir: string, challenges: BenchChallenge[], players: readonly Credential[]): BenchGame {
  return { dir, challenges, order: prerequisiteOrder(challenges), players };
}

/** The compat fixture's challenges (with prerequisites) and `players` generated logins. */
export function compatGame(fixtureDir: string, players: readonly Credential[]): BenchGame {
  const text = fs.readFileSync(path.join(fixtureDir, 'challenges.json'), 'utf8');
  const challenges = parseChallenges(JSON.parse(text));
  return finish(writeFolder(text, players), challenges, players);
}

/**
 * A generated game: `count` independent challenges (no prerequisites), each
 * with `hints` hints, for pre-filled databases where a player needs many
 * distinct (challenge, hint) slots.
 */
export function generatedGame(count: number, hints: number, players: readonly Credential[]): BenchGame {
  const raw = Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    return {
      id,
      title: `Benchmark challenge ${id}`,
      category: `Category ${(i % 5) + 1}`,
      difficulty: ['easy', 'medium', 'hard'][i % 3],
      points: 50 + 10 * (i % 20),
      description: `Find the flag of challenge ${id}, @DISPLAYNAME@.`,
      flag: `^flag\\{bench-${id}\\}$`,
      testflag: `flag{bench-${id}}`,
      hints: Array.from({ length: hints }, (_, h) => ({ id: h + 1, text: `Hint ${h + 1} for challenge ${id}.`, cost: 5 * (h + 1) })),
    };
  });
  const text = JSON.stringify(raw, null, 1);
  return finish(writeFolder(text, players), parseChallenges(raw), players);
}

/** A display name that passes ctfg's rules and is unique per index. */
export function benchName(index: number): string {
  return `Bench Player ${index}`;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
