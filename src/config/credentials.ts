/**
 * credentials.csv: `username,password` rows (SPEC §1). Reports every bad row at
 * once, by line number. Messages never repeat a password.
 */
import { parse } from 'csv-parse/sync';
import { checkPasswordHash } from '../auth/passwords.js';
import type { Credential, LoadResult } from '../domain/types.js';
import { ProblemList, stripBom } from './problems.js';

export const CREDENTIALS_FILE = 'credentials.csv';

interface Row {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/** Where a record starts: csv-parse reports the line it ended on. */
function startLine(row: Row): number {
  let newlines = 0;
  for (const field of row.record) newlines += field.split('\n').length - 1;
  return row.info.lines - newlines;
}

function isHeader(record: readonly string[]): boolean {
  return record.length === 2 && record[0]?.toLowerCase() === 'username' && record[1]?.toLowerCase() === 'password';
}

/** Parses and validates credentials.csv text. `file` names it in problems. */
export function parseCredentials(text: string, file: string = CREDENTIALS_FILE): LoadResult<Credential[]> {
  const problems = new ProblemList(file);
  let rows: Row[];
  try {
    // csv-parse guesses the line ending from the first line; files edited on
    // several systems mix them, so settle on \n first.
    rows = parse(stripBom(text).replace(/\r\n?/g, '\n'), {
      info: true,
      trim: true, // surrounding whitespace; quote a password to keep its spaces
      skip_empty_lines: true, // also whitespace-only lines, given trim
      relax_column_count: true, // wrong counts are reported below, per line
      relax_quotes: true, // a plain-text password may contain a stray "
    }) as unknown as Row[]; // csv-parse's types do not model `info: true`
  } catch (err) {
    // csv-parse errors carry the line they stopped at.
    const lines: unknown = typeof err === 'object' && err !== null && 'lines' in err ? err.lines : undefined;
    const line = typeof lines === 'number' ? `line ${lines}` : 'whole file';
    const message = err instanceof Error ? err.message : String(err);
    problems.add(line, `not valid CSV: ${message}`);
    return problems.result([]);
  }

  const credentials: Credential[] = [];
  const firstLineOf = new Map<string, number>();
  rows.forEach((row, index) => {
    const line = startLine(row);
    const at = `line ${line}`;
    // Only the first row may be the optional header.
    if (index === 0 && isHeader(row.record)) return;
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
