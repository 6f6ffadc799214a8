import { z } from 'zod';
import { BACKUP_TABLES, columnNames, tableSpec, type ColumnSpec, type TableSpec } from './tables.js';

/**
 * The backup file: JSON lines. A header names the format, then the rows of
 * every table in BACKUP_TABLES order, then the id sequences, then an end line
 * with the row counts (a file cut short has none). No line carries the time of
 * the export: two exports of one state are equal.
 */
export const BACKUP_FORMAT = 'ctfg-backup';
export const BACKUP_VERSION = 1;

export type Row = Record<string, string | number | boolean | null>;

/** A refused file or store; the message is for the organizer, with the line number when there is one. */
export class BackupError extends Error {}

export type BackupLine =
  | { readonly kind: 'header' }
  | { readonly kind: 'row'; readonly table: TableSpec; readonly row: Row }
  | { readonly kind: 'sequence'; readonly table: TableSpec; readonly value: number }
  | { readonly kind: 'end'; readonly rows: Readonly<Record<string, number>> };

export function headerLine(): string {
  return JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION });
}

/** Values as the file holds them, from either backend (PostgreSQL BIGINTs arrive as strings, SQLite booleans as 0/1). */
export function toFileRow(t: TableSpec, raw: Readonly<Record<string, unknown>>): Row {
  const row: Row = {};
  for (const [name, c] of Object.entries(t.columns)) {
    const v = raw[name];
    if (v === null || v === undefined) row[name] = null;
    else if (c.type === 'int') row[name] = Number(v);
    else if (c.type === 'bool') row[name] = v === true || v === 1;
    else row[name] = String(v);
  }
  return row;
}

export function rowLine(t: TableSpec, row: Row): string {
  return JSON.stringify({ table: t.name, row });
}

export function sequenceLine(t: TableSpec, value: number): string {
  return JSON.stringify({ sequence: t.name, value });
}

export function endLine(rows: Readonly<Record<string, number>>): string {
  return JSON.stringify({ end: { rows } });
}

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Header = z.object({ format: z.literal(BACKUP_FORMAT), version: z.number().int().min(1) }).strict();
const RowShape = z.object({ table: z.string(), row: z.record(z.string(), z.unknown()) }).strict();
const SequenceShape = z.object({ sequence: z.string(), value: Count }).strict();
const EndShape = z.object({ end: z.object({ rows: z.record(z.string(), Count) }).strict() }).strict();

function valueSchema(c: ColumnSpec): z.ZodType {
  const base = c.type === 'int' ? z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER) : c.type === 'bool' ? z.boolean() : z.string();
  return c.nullable ? base.nullable() : base;
}

const rowSchemas = new Map(
  BACKUP_TABLES.map((t) => [t.name, z.object(Object.fromEntries(Object.entries(t.columns).map(([n, c]) => [n, valueSchema(c)]))).strict()]),
);

function fail(lineNo: number, message: string): never {
  throw new BackupError(`line ${lineNo}: ${message}`);
}

function knownTable(name: string, lineNo: number): TableSpec {
  const t = tableSpec(name);
  if (!t) fail(lineNo, `unknown table "${name.slice(0, 60)}" (a backup from a newer ctfg?)`);
  return t;
}

function describeIssue(err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** The header must open the file: anything else is not a ctfg backup. */
export function parseHeader(text: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail(1, `not a ctfg backup (the first line must be ${headerLine()})`);
  }
  const v = value as { format?: unknown; version?: unknown } | null;
  if (typeof v !== 'object' || v === null || v.format !== BACKUP_FORMAT) fail(1, `not a ctfg backup (the first line must be ${headerLine()})`);
  if (typeof v.version === 'number' && v.version > BACKUP_VERSION) {
    fail(1, `backup format version ${v.version} is newer than this ctfg understands (${BACKUP_VERSION}); import it with a newer ctfg`);
  }
  const parsed = Header.safeParse(value);
  if (!parsed.success || parsed.data.version !== BACKUP_VERSION) fail(1, 'malformed header line');
}

/** One line after the header, checked against the table registry. */
export function parseLine(text: string, lineNo: number): BackupLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail(lineNo, 'not valid JSON (the file is truncated or damaged)');
  }
  if (typeof value !== 'object' || value === null) fail(lineNo, 'not a backup line');
  if ('table' in value) {
    const shape = RowShape.safeParse(value);
    if (!shape.success) fail(lineNo, `malformed row line (${describeIssue(shape.error)})`);
    const table = knownTable(shape.data.table, lineNo);
    const row = rowSchemas.get(table.name)!.safeParse(shape.data.row);
    if (!row.success) fail(lineNo, `bad ${table.name} row (${describeIssue(row.error)}); columns are ${columnNames(table).join(', ')}`);
    return { kind: 'row', table, row: row.data as Row };
  }
  if ('sequence' in value) {
    const s = SequenceShape.safeParse(value);
    if (!s.success) fail(lineNo, `malformed sequence line (${describeIssue(s.error)})`);
    const table = knownTable(s.data.sequence, lineNo);
    if (!table.sequence) fail(lineNo, `table ${table.name} has no id sequence`);
    return { kind: 'sequence', table, value: s.data.value };
  }
  if ('end' in value) {
    const e = EndShape.safeParse(value);
    if (!e.success) fail(lineNo, `malformed end line (${describeIssue(e.error)})`);
    return { kind: 'end', rows: e.data.end.rows };
  }
  if ('format' in value) fail(lineNo, 'a second header line (two backups joined together?)');
  return fail(lineNo, 'not a backup line');
}
