import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { InputError, parsePlayableChallenges, type PlayableChallenge } from '../shared/challenges.js';

export { InputError };

/** A challenge the emulator can play (hints are taken from /api/challenges, as a browser sees them). */
export type GameChallenge = Pick<PlayableChallenge, 'id' | 'title' | 'testflag' | 'requirements'>;

export interface Credential {
  readonly username: string;
  readonly password: string;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new InputError(`cannot read ${what} at ${file}: ${code}`);
  }
}

/** Parses challenges.json text with the server's rules; every challenge needs a testflag. */
export const parseChallenges = parsePlayableChallenges;

/** Parses credentials.csv text with the server's rules: optional header, trimmed, blank lines skipped. */
export function parseCredentials(text: string, file = 'credentials.csv'): Credential[] {
  let rows: string[][];
  try {
    rows = parse(text, { trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (err) {
    throw new InputError(`${file} is not valid CSV: ${(err as Error).message}`);
  }
  const first = rows[0];
  if (first && first[0]?.toLowerCase() === 'username' && first[1]?.toLowerCase() === 'password') rows = rows.slice(1);
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: Credential[] = [];
  rows.forEach((row, i) => {
    const [username = '', password = ''] = row;
    if (!username || !password) return void problems.push(`row ${i + 1}: needs username,password`);
    if (seen.has(username)) return void problems.push(`row ${i + 1}: duplicate username ${username}`);
    // A hashed password cannot be typed into a login form, so a scripted player cannot log in with it.
    if (/^\$(argon2(id|i|d)|scrypt)\$/.test(password)) {
      return void problems.push(`row ${i + 1}: ${username} has a password hash; the emulator needs plain-text passwords`);
    }
    seen.add(username);
    out.push({ username, password });
  });
  if (out.length === 0 && problems.length === 0) problems.push('no credentials');
  if (problems.length > 0) throw new InputError(`${file} cannot be used:\n  ${problems.slice(0, 20).join('\n  ')}`);
  return out;
}

export async function loadChallenges(file: string): Promise<GameChallenge[]> {
  return parseChallenges(await readText(file, 'challenges.json'), file);
}

export async function loadCredentials(file: string): Promise<Credential[]> {
  return parseCredentials(await readText(file, 'credentials.csv'), file);
}
