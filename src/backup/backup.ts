import { BackupError, endLine, headerLine, parseHeader, parseLine, rowLine, sequenceLine, toFileRow, type Row } from './format.js';
import { BACKUP_TABLES, type TableSpec } from './tables.js';

/** A store read as one consistent snapshot (opened inside one read transaction). */
export interface BackupSource {
  /** every row of a table in key order, raw from the driver */
  rows(t: TableSpec): AsyncIterable<Readonly<Record<string, unknown>>>;
  /** the largest id the table ever handed out (0 when none) */
  sequence(t: TableSpec): Promise<number>;
}

/** A store being restored; every call between begin and commit is one transaction. */
export interface BackupTarget {
  begin(): Promise<void>;
  /** tables holding game state (an empty store has none) */
  nonEmptyTables(): Promise<string[]>;
  /** deletes every row of every backed-up table */
  clear(): Promise<void>;
  /** `firstLine` is the file line of rows[0], for error messages */
  insert(t: TableSpec, rows: readonly Row[], firstLine: number): Promise<void>;
  /** sets the table's sequence to at least `value` and its largest id */
  setSequence(t: TableSpec, value: number): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Lines between two progress reports on stderr; smaller games stay quiet. */
export const PROGRESS_EVERY = 50_000;

/** The whole store as backup lines, header first and end line last. */
export async function* backupLines(source: BackupSource): AsyncGenerator<string> {
  yield headerLine();
  const counts: Record<string, number> = {};
  for (const t of BACKUP_TABLES) {
    let n = 0;
    for await (const raw of source.rows(t)) {
      if (t.keep && !t.keep(raw)) continue;
      yield rowLine(t, toFileRow(t, raw));
      n++;
    }
    counts[t.name] = n;
  }
  for (const t of BACKUP_TABLES) if (t.sequence) yield sequenceLine(t, await source.sequence(t));
  yield endLine(counts);
}

export interface ImportOptions {
  /** replace a store that already holds a game */
  readonly force?: boolean;
  /** called every PROGRESS_EVERY lines with the lines read so far */
  readonly onProgress?: (lines: number) => void;
}

export interface ImportSummary {
  readonly lines: number;
  readonly rows: Readonly<Record<string, number>>;
}

const BATCH = 500;

/**
 * Loads backup lines into `target` in one transaction: all or nothing. The
 * store must be empty unless `force`, which replaces what it holds.
 */
export async function importBackup(lines: AsyncIterable<string>, target: BackupTarget, options: ImportOptions = {}): Promise<ImportSummary> {
  await target.begin();
  try {
    const busy = await target.nonEmptyTables();
    if (busy.length > 0 && !options.force) {
      throw new BackupError(`the target store already holds a game (${busy.join(', ')}); import refuses to mix two games: pass --force to replace it`);
    }
    await target.clear();
    const summary = await loadLines(lines, target, options);
    await target.commit();
    return summary;
  } catch (err) {
    await target.rollback();
    throw err;
  }
}

interface Pending {
  table: TableSpec | null;
  rows: Row[];
  firstLine: number;
}

async function flush(p: Pending, target: BackupTarget): Promise<void> {
  if (p.table && p.rows.length > 0) await target.insert(p.table, p.rows, p.firstLine);
  p.rows = [];
}

async function loadLines(lines: AsyncIterable<string>, target: BackupTarget, options: ImportOptions): Promise<ImportSummary> {
  const counts: Record<string, number> = Object.fromEntries(BACKUP_TABLES.map((t) => [t.name, 0]));
  const sequences = new Map<TableSpec, number>();
  const pending: Pending = { table: null, rows: [], firstLine: 0 };
  let lineNo = 0;
  let end: Readonly<Record<string, number>> | null = null;
  for await (const text of lines) {
    lineNo++;
    if (options.onProgress && lineNo % PROGRESS_EVERY === 0) options.onProgress(lineNo);
    if (lineNo === 1) {
      parseHeader(text);
      continue;
    }
    if (end !== null) throw new BackupError(`line ${lineNo}: text after the end line`);
    if (text.trim() === '') throw new BackupError(`line ${lineNo}: an empty line`);
    const line = parseLine(text, lineNo);
    if (line.kind === 'header') continue;
    if (line.kind === 'end') end = line.rows;
    else if (line.kind === 'sequence') sequences.set(line.table, line.value);
    else {
      if (line.table !== pending.table) {
        const order = (t: TableSpec | null): number => (t ? BACKUP_TABLES.indexOf(t) : -1);
        if (order(line.table) < order(pending.table)) {
          throw new BackupError(`line ${lineNo}: ${line.table.name} rows after ${pending.table?.name} rows; import takes the lines in the order export wrote them`);
        }
        await flush(pending, target);
        pending.table = line.table;
      }
      if (pending.rows.length === 0) pending.firstLine = lineNo;
      pending.rows.push(line.row);
      counts[line.table.name]! += 1;
      if (pending.rows.length >= BATCH) await flush(pending, target);
    }
  }
  if (lineNo === 0) throw new BackupError('the file is empty: not a ctfg backup');
  if (end === null) throw new BackupError(`the file ends after line ${lineNo} without its end line: it is truncated; nothing was imported`);
  await flush(pending, target);
  checkCounts(end, counts, lineNo);
  for (const t of BACKUP_TABLES) if (t.sequence) await target.setSequence(t, sequences.get(t) ?? 0);
  return { lines: lineNo, rows: counts };
}

function checkCounts(end: Readonly<Record<string, number>>, counts: Readonly<Record<string, number>>, lineNo: number): void {
  for (const [name, n] of Object.entries(end)) {
    if (!(name in counts)) throw new BackupError(`line ${lineNo}: the end line counts unknown table "${name.slice(0, 60)}"`);
    if (counts[name] !== n) throw new BackupError(`line ${lineNo}: the end line counts ${n} ${name} rows, the file has ${counts[name]}: it is damaged`);
  }
}
