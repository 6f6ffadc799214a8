/**
 * credentials.csv: `username,password` rows (SPEC §1). Reports every bad row at
 * once, by line number. Messages never repeat a password.
 */
import { checkPasswordHash } from '../auth/passwords.js';
import type { Credential, LoadResult } from '../domain/types.js';
import { isHeader, readCsv } from './csv.js';
import { ProblemList } from './problems.js';

export const CREDENTIALS_FILE = 'credentials.csv';

/** Parses and validates credentials.csv text. `file` names it in problems. */
export function parseCredentials(text: string, file: string = CREDENTIALS_FILE): LoadResult<Credential[]> {
  const problems = new ProblemList(file);
  const rows = readCsv(text, problems);
  if (rows === null) return problems.result([]);

  const credentials: Credential[] = [];
  const firstLineOf = new Map<string, number>();
  rows.forEach((row, index) => {
    const { line } = row;
    const at = `line ${line}`;
    // Only the first row may be the optional header.
    if (index === 0 && isHeader(row.record, ['username', 'password'])) return;
    if (row.record.length !== 2) {
      problems.add(
        at,
        `expected 2 columns (username,password) but found ${row.record.length}; put a password that contains a comma in double quotes`,
      );
      return;
    }
    const [username = '', password = ''] = row.record;
    if (username === '') {
      problems.add(at, 'username is empty');
      return;
    }
    if (password === '') {
      problems.add(at, `password for "${username}" is empty`);
      return;
    }
    const hashProblem = checkPasswordHash(password);
    if (hashProblem !== null) {
      problems.add(at, `password for "${username}" ${hashProblem}`);
      return;
    }
    const first = firstLineOf.get(username);
    if (first !== undefined) {
      problems.add(at, `duplicate username "${username}" (first on line ${first})`);
      return;
    }
    firstLineOf.set(username, line);
    credentials.push({ username, password });
  });

  if (credentials.length === 0 && problems.items.length === 0) {
    problems.add('whole file', 'no players: add one username,password row per player');
  }
  return problems.result(credentials);
}
