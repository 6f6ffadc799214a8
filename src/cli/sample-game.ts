/**
 * `ctfg init [dir]`: writes a small, ready-to-play sample game. Never
 * overwrites: a folder that already holds a game is refused, and any other
 * sample file that already exists (say, your own .env) is left alone.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChallengeSource } from '../config/challenges.js';
import { SAMPLE_CHALLENGES } from './sample-game/challenges.js';
import {
  SAMPLE_CLUSTERS_YAML,
  SAMPLE_EVENT_YAML,
  SAMPLE_README,
  sampleCredentialsCsv,
  sampleEnvFile,
  sampleTeamCredentialsCsv,
} from './sample-game/files.js';

/** A game folder already exists when either of these does. */
const GAME_MARKERS = ['challenges.json', 'credentials.csv'] as const;

interface SampleFile {
  readonly name: string;
  readonly content: () => string;
  /** false: skipped (not overwritten) when it already exists. */
  readonly required: boolean;
  readonly mode?: number;
}

export interface SampleOptions {
  /** a team game (SPEC §9): teams in two divisions, and a few dynamically scored challenges */
  readonly teams?: boolean;
}

/** The team game's challenges: every third one loses value as teams solve it, down to 40%. */
function teamChallenges(): ChallengeSource[] {
  return SAMPLE_CHALLENGES.map((c, i) => (i % 3 === 2 ? { ...c, decay: { function: 'parabolic' as const, minimum: Math.round(c.points * 0.4), decay: 5 } } : c));
}

const filesFor = (options: SampleOptions): readonly SampleFile[] => [
  { name: 'challenges.json', content: () => `${JSON.stringify(options.teams ? teamChallenges() : SAMPLE_CHALLENGES, null, 2)}\n`, required: true },
  { name: 'credentials.csv', content: () => (options.teams ? sampleTeamCredentialsCsv() : sampleCredentialsCsv()), required: true, mode: 0o600 },
  { name: 'game-clusters.yaml', content: () => SAMPLE_CLUSTERS_YAML, required: false },
  { name: 'event.yaml', content: () => SAMPLE_EVENT_YAML, required: false },
  { name: '.env', content: () => sampleEnvFile(), required: false, mode: 0o600 },
  { name: 'README.md', content: () => SAMPLE_README, required: false },
];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function isAlreadyExists(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EEXIST';
}

/** Writes the sample game into `dir` (created if needed); returns the paths written. */
export async function writeSampleGame(dir: string, options: SampleOptions = {}): Promise<{ written: string[] }> {
  for (const marker of GAME_MARKERS) {
    if (await exists(join(dir, marker))) {
      throw new Error(
        `${join(dir, marker)} already exists: ctfg init never overwrites a game. Pick an empty folder, e.g. \`ctfg init my-game\`.`,
      );
    }
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const file of filesFor(options)) {
    const path = join(dir, file.name);
    try {
      // 'wx' fails if the file appeared since the check above: still no overwrite.
      await writeFile(path, file.content(), { flag: 'wx', mode: file.mode ?? 0o644 });
      written.push(path);
    } catch (err) {
      if (isAlreadyExists(err) && !file.required) continue;
      throw err;
    }
  }
  return { written };
}
