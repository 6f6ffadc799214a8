/**
 * credentials.csv: `username,password` rows, with optional `team` and `division`
 * columns named in a header row (SPEC §1, §9). Reports every bad row at
 * once, by line number. Messages never repeat a password.
 */
import { checkPasswordHash } from '../auth/passwords.js';
import { validateDisplayName } from '../domain/displayname.js';
import { InputLimits } from '../protocol/limits.js';
import type { Credential, LoadResult } from '../domain/types.js';
import { readCsv } from './csv.js';
import { ProblemList } from './problems.js';

export const CREDENTIALS_FILE = 'credentials.csv';

/** The columns a header row may name (SPEC §1, §9); username and password are required. */
const COLUMNS = ['username', 'password', 'team', 'division'] as const;
type Column = (typeof COLUMNS)[number];

/** Column positions named by a header row, or null when the row is not a header. */
function headerOf(record: readonly string[]): ReadonlyMap<Column, number> | null {
  const names = record.map((f) => f.toLowerCase());
  if (!names.includes('username') || !names.includes('password')) return null;
  if (names.some((n) => !(COLUMNS as readonly string[]).includes(n)) || new Set(names).size !== names.length) return null;
  return new Map(names.map((n, i) => [n as Column, i]));
}

const PLAIN: ReadonlyMap<Column, number> = new Map([
  ['username', 0],
  ['password', 1],
]);

/** Division names: short, printable, no control characters. */
const DIVISION_MAX = InputLimits.division;

/** One data row as a credential, or a problem message. */
function toCredential(record: readonly string[], columns: ReadonlyMap<Column, number>): Credential | string {
  const field = (c: Column): string => {
    const i = columns.get(c);
    return i === undefined ? '' : (record[i] ?? '');
  };
  const username = field('username');
  const password = field('password');
  if (username === '') return 'username is empty';
  if (password === '') return `password for "${username}" is empty`;
  const hashProblem = checkPasswordHash(password);
  if (hashProblem !== null) return `password for "${username}" ${hashProblem}`;
  const team = field('team').replace(/\s+/gu, ' ');
  const division = field('division').replace(/\s+/gu, ' ');
  if (team !== '') {
    const check = validateDisplayName(team);
    if (!check.ok) return `team of "${username}": ${check.message.replace('Display name', 'a team name')}`;
  }
  if ([...division].length > DIVISION_MAX || /\p{Cc}/u.test(division)) return `division of "${username}" must be at most ${DIVISION_MAX} printable characters`;
  return { username, password, ...(team !== '' ? { team } : {}), ...(division !== '' ? { division } : {}) };
}

/** Team mode is on when any row names a team; then every row needs one (SPEC §9). */
function checkTeams(credentials: readonly Credential[], lines: ReadonlyMap<string, number>, problems: ProblemList): void {
  if (!credentials.some((c) => c.team !== undefined)) return;
  for (const c of credentials) if (c.team === undefined) problems.add(`line ${lines.get(c.username) ?? 0}`, `"${c.username}" has no team; in team mode every player needs one`);
  const divisionOf = new Map<string, string | undefined>();
  for (const c of credentials) {
    if (c.team === undefined) continue;
    if (!divisionOf.has(c.team)) divisionOf.set(c.team, c.division);
    else if (divisionOf.get(c.team) !== c.division) {
      problems.add(`line ${lines.get(c.username) ?? 0}`, `team "${c.team}" is split across divisions; every member of a team needs the same division`);
    }
  }
}

/** Parses and validates credentials.csv text. `file` names it in problems. */
export function parseCredentials(text: string, file: string = CREDENTIALS_FILE): LoadResult<Credential[]> {
  const problems = new ProblemList(file);
  const rows = readCsv(text, problems);
  if (rows === null) return problems.result([]);
  const header = rows[0] ? headerOf(rows[0].record) : null;
  const columns = header ?? PLAIN;
  const credentials: Credential[] = [];
  const firstLineOf = new Map<string, number>();
  // Only the first row may be the header.
  rows.slice(header ? 1 : 0).forEach((row) => {
    const { line } = row;
    const at = `line ${line}`;
    if (row.record.length !== columns.size) {
      const names = [...columns.keys()].join(',');
      problems.add(at, `expected ${columns.size} columns (${names}) but found ${row.record.length}; put a password that contains a comma in double quotes`);
      return;
    }
    const credential = toCredential(row.record, columns);
    if (typeof credential === 'string') return problems.add(at, credential);
    const first = firstLineOf.get(credential.username);
    if (first !== undefined) return problems.add(at, `duplicate username "${credential.username}" (first on line ${first})`);
    firstLineOf.set(credential.username, line);
    credentials.push(credential);
  });
  checkTeams(credentials, firstLineOf, problems);
  if (credentials.length === 0 && problems.items.length === 0) {
    problems.add('whole file', 'no players: add one username,password row per player');
  }
  return problems.result(credentials);
}
