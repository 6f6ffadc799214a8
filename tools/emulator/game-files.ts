import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/**
 * The parts of challenges.json the emulator needs. The server validates the
 * file fully; here we only insist on what a scripted player cannot do without:
 * ids, requirements to order the work and a testflag to submit (hints are taken
 * from /api/challenges, as a browser sees them).
 */
const challengeSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  testflag: z.string().optional(),
  requirements: z.array(z.number().int()).optional(),
});

export interface GameChallenge {
  readonly id: number;
  readonly title: string;
  readonly testflag: string;
  readonly requirements: readonly number[];
}

export interface Credential {
  readonly username: string;
  readonly password: string;
}

/** A problem with the input files: reported to the user as-is, no stack trace. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new InputError(`cannot read ${what} at ${file}: ${code}`);
  }
}

/** Parses challenges.json text; every problem is reported at once, each naming the challenge. */
export function parseChallenges(text: string, file = 'challenges.json'): GameChallenge[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new InputError(`${file} must be a JSON array of challenges`);
  const problems: string[] = [];
  const out: GameChallenge[] = [];
  const seen = new Set<number>();
  raw.forEach((item: unknown, index) => {
    const parsed = challengeSchema.safeParse(item);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(challenge)'}: ${i.message}`).join('; ');
      problems.push(`challenge #${index + 1}: ${issues}`);
      return;
    }
    const c = parsed.data;
    if (seen.has(c.id)) problems.push(`challenge ${c.id}: duplicate id`);
    seen.add(c.id);
    if (c.testflag === undefined) {
      problems.push(`challenge ${c.id}: no testflag — the emulator submits testflags, so every challenge needs one`);
      return;
    }
    out.push({ id: c.id, title: c.title, testflag: c.testflag, requirements: c.requirements ?? [] });
  });
  if (out.length === 0 && problems.length === 0) problems.push(`${file} holds no challenges`);
  if (problems.length > 0) throw new InputError(`${file} cannot be used:\n  ${problems.join('\n  ')}`);
  return out;
}

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
