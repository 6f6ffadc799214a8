/**
 * The game folder's optional `.env` (SPEC §1): KEY=VALUE lines read at start.
 * Real environment variables win, as with every dotenv tool: a variable that
 * is set at all (even to "") in the environment is not replaced.
 *
 * The environment is passed in, never read here: main.ts is the only reader
 * of process.env.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';

export const ENV_FILE = '.env';

export type EnvInput = Readonly<Record<string, string | undefined>>;

/**
 * `.env` in `dir` merged under `processEnv`. A missing `.env` is fine; any
 * other read error (a directory, no permission) is thrown.
 */
export function readEnvFile(dir: string, processEnv: EnvInput): Record<string, string> {
  let fileVars: Record<string, string> = {};
  try {
    fileVars = parse(readFileSync(join(dir, ENV_FILE), 'utf8'));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const merged: Record<string, string> = { ...fileVars };
  for (const [key, value] of Object.entries(processEnv)) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}
