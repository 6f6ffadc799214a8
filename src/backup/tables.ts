/**
 * What a backup holds: every table of the store, one entry each. A new table
 * or column is one entry or one line here; both backends read and write from
 * this list, so SQLite and PostgreSQL cannot drift apart in the file format.
 */

export type ColumnType = 'int' | 'text' | 'bool';

export interface ColumnSpec {
  readonly type: ColumnType;
  readonly nullable?: boolean;
}

/**
 * How a table hands out ids, so new rows after an import continue after the
 * imported ones (and after rows deleted before the export: event ids never repeat).
 * `autoincrement`: SQLite AUTOINCREMENT (sqlite_sequence) and a PostgreSQL serial.
 * `event-counter`: SQLite AUTOINCREMENT and the gapless counter `meta.last_event_id` on PostgreSQL.
 */
export type SequenceKind = 'autoincrement' | 'event-counter';

export interface TableSpec {
  readonly name: string;
  /** in file order; the first columns of `key` order the lines */
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** unique, orders the export deterministically */
  readonly key: readonly string[];
  readonly sequence?: { readonly column: string; readonly kind: SequenceKind };
  /** rows left out of a backup (false = left out) */
  readonly keep?: (row: Readonly<Record<string, unknown>>) => boolean;
}

const int = { type: 'int' } as const;
const text = { type: 'text' } as const;
const bool = { type: 'bool' } as const;
const optionalInt = { type: 'int', nullable: true } as const;
const optionalText = { type: 'text', nullable: true } as const;

/**
 * meta rows that are not game state: the secrets that sign scorestream tokens
 * stay with their database (a backup file must not be a key to forge tokens;
 * a restored game makes new ones and apps fetch fresh tokens); the PostgreSQL
 * event counter travels as the events sequence; a reset mark of zero is what
 * SQLite means by no mark at all.
 */
export function isGameMeta(row: Readonly<Record<string, unknown>>): boolean {
  const key = String(row.key);
  if (key.startsWith('secret:') || key === 'last_event_id') return false;
  return !((key === 'reset_count' || key === 'reset_after_id') && row.value === '0');
}

/** In dependency order: a table comes after the tables it references (import inserts in this order). */
export const BACKUP_TABLES: readonly TableSpec[] = [
  {
    name: 'users',
    columns: {
      id: int,
      username: text,
      displayname: optionalText,
      displayname_key: optionalText,
      // moderation (h/mod)
      ban_reason: optionalText,
      unranked: bool,
      last_seen: optionalInt,
    },
    key: ['id'],
    sequence: { column: 'id', kind: 'autoincrement' },
  },
  {
    name: 'events',
    columns: {
      id: int,
      user_id: int,
      challenge_id: int,
      kind: text,
      hint_id: optionalInt,
      points: int,
      ts: int,
      reload: bool,
      // adjust and revoke events (h/mod)
      reason: optionalText,
      revoked: bool,
      // team mode (h/dyn)
      team: optionalText,
    },
    key: ['id'],
    sequence: { column: 'id', kind: 'event-counter' },
  },
  // Sessions are stored as hashes: a backup yields no live session, yet after a
  // move to another database every player and organizer stays logged in.
  { name: 'sessions', columns: { id_hash: text, user_id: int, created_at: int, expires_at: int }, key: ['id_hash'] },
  // Names cleared by an admin: blocked for everyone, forever (h/mod).
  { name: 'blocked_names', columns: { key: text }, key: ['key'] },
  { name: 'meta', columns: { key: text, value: text }, key: ['key'], keep: isGameMeta },
  {
    name: 'announcements',
    columns: { id: int, ts: int, text, dedupe_key: optionalText },
    key: ['id'],
    sequence: { column: 'id', kind: 'autoincrement' },
  },
  { name: 'admin_sessions', columns: { id_hash: text, name: text, created_at: int, expires_at: int }, key: ['id_hash'] },
  {
    name: 'audit',
    columns: { id: int, ts: int, admin: text, address: text, action: text, detail: text },
    key: ['id'],
    sequence: { column: 'id', kind: 'autoincrement' },
  },
  // Every judged submit (flag text cut to 256 characters) and its per-minute counts (h/subs).
  {
    name: 'submissions',
    columns: { id: int, ts: int, user_id: int, displayname: text, challenge_id: int, result: text, flag: text, address: text },
    key: ['id'],
    sequence: { column: 'id', kind: 'autoincrement' },
  },
  { name: 'submission_minutes', columns: { minute: int, total: int, wrong: int }, key: ['minute'] },
];

export function tableSpec(name: string): TableSpec | undefined {
  return BACKUP_TABLES.find((t) => t.name === name);
}

export function columnNames(t: TableSpec): string[] {
  return Object.keys(t.columns);
}
