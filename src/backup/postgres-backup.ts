import pg from 'pg';
import { postgresConfig, type PostgresConnection } from '../storage/postgres/connection.js';
import { InstanceLock } from '../storage/postgres/instance-lock.js';
import { PG_MIGRATIONS } from '../storage/postgres/migrations.js';
import { PostgresStore } from '../storage/postgres/postgres-store.js';
import type { BackupSource, BackupTarget } from './backup.js';
import { BackupError, type Row } from './format.js';
import { BACKUP_TABLES, columnNames, type TableSpec } from './tables.js';

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const PAGE = 5000;
/** the counter and reset mark every PostgreSQL store starts with (see PG_MIGRATIONS) */
const META_DEFAULTS = "INSERT INTO meta (key, value) VALUES ('last_event_id', '0'), ('reset_count', '0'), ('reset_after_id', '0') ON CONFLICT (key) DO NOTHING";

async function connect(connection: PostgresConnection, name: string): Promise<pg.Client> {
  const client = new pg.Client({ ...postgresConfig(connection), application_name: name });
  client.on('error', () => undefined); // surfaces on the next query
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError(`cannot connect to PostgreSQL: ${err instanceof Error ? err.message : String(err)}`);
  }
  return client;
}

function selectAll(t: TableSpec): string {
  return `SELECT ${columnNames(t).map(quote).join(', ')} FROM ${quote(t.name)} ORDER BY ${t.key.map(quote).join(', ')}`;
}

/** Reads inside one REPEATABLE READ, READ ONLY transaction: one snapshot while instances keep writing. */
class PostgresSource implements BackupSource {
  constructor(private readonly client: pg.Client) {}

  async *rows(t: TableSpec): AsyncIterable<Record<string, unknown>> {
    for (let offset = 0; ; offset += PAGE) {
      const page = await this.client.query<Record<string, unknown>>(`${selectAll(t)} LIMIT ${PAGE} OFFSET ${offset}`);
      yield* page.rows;
      if (page.rows.length < PAGE) return;
    }
  }

  async sequence(t: TableSpec): Promise<number> {
    if (t.sequence?.kind === 'event-counter') {
      const r = await this.client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'last_event_id'");
      return Number(r.rows[0]?.value ?? 0);
    }
    const name = await this.client.query<{ seq: string | null }>('SELECT pg_get_serial_sequence($1, $2) AS seq', [t.name, t.sequence?.column ?? 'id']);
    const seq = name.rows[0]?.seq;
    if (!seq) return 0;
    // Sequences are outside transactions: a value newer than the snapshot only skips ids, it never reuses one.
    const r = await this.client.query<{ v: string }>(`SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM ${seq}`);
    return Number(r.rows[0]?.v ?? 0);
  }
}

export async function openPostgresSource(connection: PostgresConnection): Promise<{ source: BackupSource; close: () => Promise<void> }> {
  const client = await connect(connection, 'ctfg-export');
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const v = await client.query<{ version: number }>('SELECT version FROM ctfg_schema').catch(() => ({ rows: [] as Array<{ version: number }> }));
    const version = v.rows[0]?.version ?? 0;
    if (version !== PG_MIGRATIONS.length) {
      throw new BackupError(
        `database schema version ${version}, this ctfg exports version ${PG_MIGRATIONS.length}: export with the ctfg that runs this game (or start this one once to upgrade it)`,
      );
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  return { source: new PostgresSource(client), close: async () => void (await client.query('COMMIT').catch(() => undefined), await client.end()) };
}

/** Restores with one client in one transaction, while holding the instance lock: no instance may run meanwhile. */
class PostgresTarget implements BackupTarget {
  constructor(private readonly client: pg.Client) {}

  async begin(): Promise<void> {
    await this.client.query('BEGIN');
  }

  async nonEmptyTables(): Promise<string[]> {
    const busy: string[] = [];
    for (const t of BACKUP_TABLES) {
      const rows = t.keep ? (await this.client.query(selectAll(t))).rows.filter(t.keep) : (await this.client.query(`SELECT 1 FROM ${quote(t.name)} LIMIT 1`)).rows;
      if (rows.length > 0) busy.push(t.name);
    }
    return busy;
  }

  async clear(): Promise<void> {
    for (const t of [...BACKUP_TABLES].reverse()) await this.client.query(`DELETE FROM ${quote(t.name)}`);
  }

  async insert(t: TableSpec, rows: readonly Row[], firstLine: number): Promise<void> {
    const names = columnNames(t);
    const values: unknown[] = [];
    const tuples = rows.map((row) => `(${names.map((n) => `$${values.push(row[n])}`).join(', ')})`);
    try {
      await this.client.query(`INSERT INTO ${quote(t.name)} (${names.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`, values);
    } catch (err) {
      const where = rows.length > 1 ? `lines ${firstLine}–${firstLine + rows.length - 1}` : `line ${firstLine}`;
      throw new BackupError(`${where}: cannot restore these ${t.name} rows: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async setSequence(t: TableSpec, value: number): Promise<void> {
    const column = quote(t.sequence?.column ?? 'id');
    const max = Number((await this.client.query<{ n: string }>(`SELECT COALESCE(MAX(${column}), 0) AS n FROM ${quote(t.name)}`)).rows[0]?.n ?? 0);
    const seq = Math.max(value, max);
    if (t.sequence?.kind === 'event-counter') {
      await this.client.query(META_DEFAULTS);
      await this.client.query("UPDATE meta SET value = $1 WHERE key = 'last_event_id'", [String(seq)]);
      return;
    }
    // setval cannot go below 1: "not called yet" means the next id is 1.
    await this.client.query('SELECT setval(pg_get_serial_sequence($1, $2), GREATEST($3::bigint, 1), $3::bigint > 0)', [t.name, t.sequence?.column ?? 'id', seq]);
  }

  async commit(): Promise<void> {
    await this.client.query(META_DEFAULTS);
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => undefined);
  }
}

/**
 * A PostgreSQL store ready for restoring: migrated, and locked against every
 * ctfg instance (import refuses while one runs).
 */
export async function openPostgresTarget(connection: PostgresConnection): Promise<{ target: BackupTarget; close: () => Promise<void> }> {
  let lock: InstanceLock;
  try {
    lock = await InstanceLock.acquire(connection, false, () => undefined);
  } catch (err) {
    throw new BackupError(`cannot import while a ctfg instance uses this database: stop every instance first (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    await (await PostgresStore.open({ connectionString: connection.url, defaultUser: connection.defaultUser, poolSize: 1 })).close();
    const client = await connect(connection, 'ctfg-import');
    return { target: new PostgresTarget(client), close: async () => void (await client.end(), await lock.release()) };
  } catch (err) {
    await lock.release();
    throw err;
  }
}
