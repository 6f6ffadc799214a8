import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePlayableChallenges, solveOrder, type PlayableChallenge } from '../shared/challenges.js';

/** What the bench needs to know about a challenge: the server's challenge with its testflag. */
export type BenchChallenge = PlayableChallenge;

export interface Credential {
  readonly username: string;
  readonly password: string;
  /** team mode (SPEC §9) when any credential has one */
  readonly team?: string;
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

/** The same players in teams of `size`, in login order (team1 = the first `size` players). */
export function inTeams(players: readonly Credential[], size: number): Credential[] {
  return players.map((p, i) => ({ ...p, team: `team${Math.floor(i / size) + 1}` }));
}

function writeFolder(challengesJson: string, players: readonly Credential[]): string {
  const dir = tempDir('ctfg-bench-game-');
  fs.writeFileSync(path.join(dir, 'challenges.json'), challengesJson);
  const teams = players.some((p) => p.team !== undefined);
  const rows = players.map((p) => (teams ? `${p.username},${p.password},${p.team ?? ''}` : `${p.username},${p.password}`));
  fs.writeFileSync(path.join(dir, 'credentials.csv'), `${teams ? 'username,password,team' : 'username,password'}\n${rows.join('\n')}\n`);
  return dir;
}

function finish(dir: string, challenges: BenchChallenge[], players: readonly Credential[]): BenchGame {
  return { dir, challenges, order: solveOrder(challenges), players };
}

/** The compat fixture's challenges (with prerequisites) and `players` generated logins. */
export function compatGame(fixtureDir: string, players: readonly Credential[]): BenchGame {
  const text = fs.readFileSync(path.join(fixtureDir, 'challenges.json'), 'utf8');
  return finish(writeFolder(text, players), parsePlayableChallenges(text), players);
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
  return finish(writeFolder(text, players), parsePlayableChallenges(text), players);
}

/** A display name that passes ctfg's rules and is unique per index. */
export function benchName(index: number): string {
  return `Bench Player ${index}`;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
