/**
 * `ctfg init [dir]`: writes a small, ready-to-play sample game. Never
 * overwrites: a folder that already holds a game is refused, and any other
 * sample file that already exists (say, your own .env) is left alone.
 */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SAMPLE_CHALLENGES } from './sample-game/challenges.js';
import {
  SAMPLE_CLUSTERS_YAML,
  SAMPLE_EVENT_YAML,
  SAMPLE_README,
  sampleCredentialsCsv,
  sampleEnvFile,
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

const FILES: readonly SampleFile[] = [
  { name: 'challenges.json', content: () => `${JSON.stringify(SAMPLE_CHALLENGES, null, 2)}\n`, required: true },
  { name: 'credentials.csv', content: () => sampleCredentialsCsv(), required: true, mode: 0o600 },
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
export async function writeSampleGame(dir: string): Promise<{ written: string[] }> {
  for (const marker of GAME_MARKERS) {
    if (await exists(join(dir, marker))) {
      throw new Error(
        `${join(dir, marker)} already exists: ctfg init never overwrites a game. Pick an empty folder, e.g. \`ctfg init my-game\`.`,
      );
    }
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const file of FILES) {
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
