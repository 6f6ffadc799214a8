/**
 * Loads a whole game folder and reports the problems of every file together,
 * so one start-up attempt shows the organizer everything to fix.
 */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AdminAccount, Challenge, Clusters, Credential, GameFileProblem, LoadResult } from '../domain/types.js';
import { ADMINS_FILE, parseAdmins } from './admins-file.js';
import { CHALLENGES_FILE, parseChallenges } from './challenges.js';
import { CLUSTERS_FILE, parseClusters } from './clusters.js';
import { CREDENTIALS_FILE, parseCredentials } from './credentials.js';
import { EVENT_FILE, NO_EVENT, parseEventFile, type EventConfig } from './event-file.js';
import { ENV_FILE, isNotFound, readEnvFile, type EnvInput } from './env-file.js';

export interface GameFiles {
  readonly challenges: Challenge[];
  readonly credentials: Credential[];
  /** null when game-clusters.yaml is absent. */
  readonly clusters: Clusters | null;
  /** Absolute path of images/banner.jpg, else images/banner.png, else null. */
  readonly bannerPath: string | null;
  /** `.env` merged under the real environment (real variables win). */
  readonly env: Record<string, string>;
  /** event.yaml, or no schedule when absent */
  readonly event: EventConfig;
  /** admins.csv, or none when absent */
  readonly admins: AdminAccount[];
}

export interface LoadGameFolderOptions {
  readonly gameDir: string;
  /** Overrides <gameDir>/challenges.json; a relative path is taken from the current directory, like any CLI argument. */
  readonly challengesPath?: string;
  /** The real environment (main.ts passes process.env); defaults to none. */
  readonly processEnv?: EnvInput;
}

const BANNER_CANDIDATES = ['images/banner.jpg', 'images/banner.png'] as const;

type Read = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly problem: GameFileProblem | null };

/**
 * Reads a file; a missing optional file is `{ok:false, problem:null}`. For a
 * missing required file, `gameDir` (when given) adds a `ctfg init` suggestion.
 */
async function readGameFile(path: string, required: boolean, gameDir: string | null): Promise<Read> {
  const display = path;
  try {
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (err) {
    if (isNotFound(err)) {
      if (!required) return { ok: false, problem: null };
      return {
        ok: false,
        problem: {
          file: display,
          where: 'whole file',
          message:
            gameDir === null
              ? 'file not found'
              : `file not found; run \`ctfg init ${gameDir}\` to create a sample game to start from`,
        },
      };
    }
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, problem: { file: display, where: 'whole file', message: `cannot be read: ${reason}` } };
  }
}

async function findBanner(gameDir: string): Promise<string | null> {
  for (const candidate of BANNER_CANDIDATES) {
    const path = resolve(gameDir, candidate);
    try {
      if ((await stat(path)).isFile()) return path;
    } catch {
      // absent: try the next one
    }
  }
  return null;
}

export async function loadGameFolder(opts: LoadGameFolderOptions): Promise<LoadResult<GameFiles>> {
  const { gameDir } = opts;
  const challengesPath = opts.challengesPath ?? join(gameDir, CHALLENGES_FILE);
  const credentialsPath = join(gameDir, CREDENTIALS_FILE);
  const clustersPath = join(gameDir, CLUSTERS_FILE);
  const eventPath = join(gameDir, EVENT_FILE);
  const adminsPath = join(gameDir, ADMINS_FILE);

  const [challengesFile, credentialsFile, clustersFile, eventFile, adminsFile, bannerPath] = await Promise.all([
    readGameFile(challengesPath, true, gameDir),
    readGameFile(credentialsPath, true, gameDir),
    readGameFile(clustersPath, false, gameDir),
    readGameFile(eventPath, false, gameDir),
    readGameFile(adminsPath, false, gameDir),
    findBanner(gameDir),
  ]);

  const problems: GameFileProblem[] = [];
  const take = <T>(result: LoadResult<T>): T | undefined => {
    if (result.ok) return result.value;
    problems.push(...result.problems);
    return undefined;
  };

  /** The parsed file, `absent` for a missing optional file, undefined after a problem. */
  const parsed = <T>(file: Read, parse: (text: string, path: string) => LoadResult<T>, path: string, absent: T): T | undefined => {
    if (file.ok) return take(parse(file.text, path));
    if (file.problem) problems.push(file.problem);
    return file.problem ? undefined : absent;
  };
  const challenges = parsed<Challenge[]>(challengesFile, parseChallenges, challengesPath, []);
  const credentials = parsed<Credential[]>(credentialsFile, parseCredentials, credentialsPath, []);
  const clusters = parsed<Clusters | null>(clustersFile, parseClusters, clustersPath, null);
  const event = parsed<EventConfig>(eventFile, parseEventFile, eventPath, NO_EVENT);
  const admins = parsed<AdminAccount[]>(adminsFile, parseAdmins, adminsPath, []);

  let env: Record<string, string> = {};
  try {
    env = readEnvFile(gameDir, opts.processEnv ?? {});
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    problems.push({ file: join(gameDir, ENV_FILE), where: 'whole file', message: `cannot be read: ${reason}` });
  }

  if (problems.length > 0 || !challenges || !credentials || clusters === undefined || !event || !admins) return { ok: false, problems };
  return { ok: true, value: { challenges, credentials, clusters, bannerPath, env, event, admins } };
}

/**
 * Re-reads challenges.json alone (developer mode, reload). The caller keeps its
 * last good set when this answers `ok: false`.
 */
export async function reloadChallenges(challengesPath: string): Promise<LoadResult<Challenge[]>> {
  const file = await readGameFile(challengesPath, true, null);
  if (!file.ok) {
    const problem = file.problem ?? { file: challengesPath, where: 'whole file', message: 'file not found' };
    return { ok: false, problems: [problem] };
  }
  return parseChallenges(file.text, challengesPath);
}

/**
 * A report for the terminal: a heading per file, one indented line per
 * problem, and a count.
 *
 *   challenges.json
 *     challenge 3, field flag: is not a valid regular expression: Unterminated group
 */
export function formatProblems(problems: readonly GameFileProblem[]): string {
  const byFile = new Map<string, GameFileProblem[]>();
  for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
  const lines: string[] = [];
  for (const [file, list] of byFile) {
    lines.push(file);
    for (const p of list) lines.push(`  ${p.where}: ${p.message}`);
  }
  const n = problems.length;
  lines.push(`${n} problem${n === 1 ? '' : 's'} found in the game files.`);
  return lines.join('\n');
}
