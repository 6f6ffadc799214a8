/** CSV reading shared by credentials.csv and admins.csv: rows with the line each starts on. */
import { parse } from 'csv-parse/sync';
import { stripBom, type ProblemList } from './problems.js';

export interface CsvRow {
  readonly record: string[];
  /** the line the record starts on */
  readonly line: number;
}

interface ParsedRow {
  readonly record: string[];
  readonly info: { readonly lines: number };
}

/** Where a record starts: csv-parse reports the line it ended on. */
function startLine(row: ParsedRow): number {
  let newlines = 0;
  for (const field of row.record) newlines += field.split('\n').length - 1;
  return row.info.lines - newlines;
}

/** Every record, or null after adding the parse error (with its line) to `problems`. */
export function readCsv(text: string, problems: ProblemList): CsvRow[] | null {
  try {
    // csv-parse guesses the line ending from the first line; files edited on
    // several systems mix them, so settle on \n first.
    const rows = parse(stripBom(text).replace(/\r\n?/g, '\n'), {
      info: true,
      trim: true, // surrounding whitespace; quote a value to keep its spaces
      skip_empty_lines: true, // also whitespace-only lines, given trim
      relax_column_count: true, // wrong counts are reported by the caller, per line
      relax_quotes: true, // a plain-text secret may contain a stray "
    }) as unknown as ParsedRow[]; // csv-parse's types do not model `info: true`
    return rows.map((row) => ({ record: row.record, line: startLine(row) }));
  } catch (err) {
    // csv-parse errors carry the line they stopped at.
    const lines: unknown = typeof err === 'object' && err !== null && 'lines' in err ? err.lines : undefined;
    const line = typeof lines === 'number' ? `line ${lines}` : 'whole file';
    const message = err instanceof Error ? err.message : String(err);
    problems.add(line, `not valid CSV: ${message}`);
    return null;
  }
}

/** True when the record is exactly the given header, in any letter case. */
export function isHeader(record: readonly string[], names: readonly string[]): boolean {
  return record.length === names.length && record.every((field, i) => field.toLowerCase() === names[i]);
}
