import fs from 'node:fs';
import path from 'node:path';
import { FIXTURE_GAME, tempDir } from './server.js';

export interface GameSpec {
  readonly challenges?: unknown;
  readonly credentials?: string;
  readonly clusters?: string;
  readonly env?: string;
}

/** Writes a game folder into a fresh temp dir; unspecified files come from FIXTURE_GAME. */
export function writeGame(spec: GameSpec = {}): string {
  const dir = tempDir('ctfg-game-');
  const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURE_GAME, name), 'utf8');
  fs.writeFileSync(
    path.join(dir, 'challenges.json'),
    spec.challenges === undefined ? fixture('challenges.json') : typeof spec.challenges === 'string' ? spec.challenges : JSON.stringify(spec.challenges, null, 2),
  );
  fs.writeFileSync(path.join(dir, 'credentials.csv'), spec.credentials ?? fixture('credentials.csv'));
  if (spec.clusters !== undefined) fs.writeFileSync(path.join(dir, 'game-clusters.yaml'), spec.clusters);
  if (spec.env !== undefined) fs.writeFileSync(path.join(dir, '.env'), spec.env);
  return dir;
}

/** FIXTURE_GAME's challenges, parsed, for building variants. */
export function fixtureChallenges(): Array<Record<string, unknown>> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_GAME, 'challenges.json'), 'utf8')) as Array<Record<string, unknown>>;
}

/** Challenge ids in an order where every requirement comes first (the tools' order). */
export { solveOrder as prerequisiteOrder } from '../../tools/shared/challenges.js';
