/**
 * admins.csv (optional, SPEC §8): `name,token` rows, one per organizer, the
 * token plain (12+ printable characters) or a PHC hash like passwords. Reports
 * every bad row at once, by line number; messages never repeat a token.
 */
import { checkPasswordHash, isPasswordHash } from '../auth/passwords.js';
import type { AdminAccount, LoadResult } from '../domain/types.js';
import { isHeader, readCsv } from './csv.js';
import { ProblemList } from './problems.js';

export const ADMINS_FILE = 'admins.csv';

/** The audit name of CTFG_ADMIN_TOKEN once admins.csv names everyone else. */
export const ENV_ADMIN_NAME = 'token';

const PLAIN_TOKEN = /^[\x21-\x7e]{12,}$/;

function tokenProblem(name: string, token: string): string | null {
  const hashProblem = checkPasswordHash(token);
  if (hashProblem !== null) return `token for "${name}" ${hashProblem}`;
  if (isPasswordHash(token) || PLAIN_TOKEN.test(token)) return null;
  return `token for "${name}" must be at least 12 characters without spaces (printable ASCII), or a hash from \`ctfg hash-password\``;
}

function nameProblem(name: string): string | null {
  if (name === '' || name.length > 40) return 'name must be 1–40 characters';
  if (name.toLowerCase() === ENV_ADMIN_NAME) return `the name "${ENV_ADMIN_NAME}" is kept for CTFG_ADMIN_TOKEN in the audit log; choose another`;
  return null;
}

/** Parses and validates admins.csv text. `file` names it in problems. */
export function parseAdmins(text: string, file: string = ADMINS_FILE): LoadResult<AdminAccount[]> {
  const problems = new ProblemList(file);
  const rows = readCsv(text, problems);
  if (rows === null) return problems.result([]);
  const admins: AdminAccount[] = [];
  const nameLine = new Map<string, number>();
  const tokenLine = new Map<string, number>();
  rows.forEach(({ record, line }, index) => {
    const at = `line ${line}`;
    if (index === 0 && isHeader(record, ['name', 'token'])) return;
    if (record.length !== 2) {
      problems.add(at, `expected 2 columns (name,token) but found ${record.length}; put a token that contains a comma in double quotes`);
      return;
    }
    const [name = '', token = ''] = record;
    const problem = nameProblem(name) ?? tokenProblem(name, token);
    if (problem !== null) return problems.add(at, problem);
    const sameName = nameLine.get(name.toLowerCase());
    if (sameName !== undefined) return problems.add(at, `duplicate name "${name}" (first on line ${sameName})`);
    // Two organizers with one token could not be told apart in the audit log.
    const sameToken = isPasswordHash(token) ? undefined : tokenLine.get(token);
    if (sameToken !== undefined) return problems.add(at, `"${name}" has the same token as line ${sameToken}; give every organizer their own`);
    nameLine.set(name.toLowerCase(), line);
    tokenLine.set(token, line);
    admins.push({ name, token });
  });
  if (admins.length === 0 && problems.items.length === 0) {
    problems.add('whole file', 'no organizers: add one name,token row per organizer, or delete the file');
  }
  return problems.result(admins);
}
