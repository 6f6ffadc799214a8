import pg from 'pg';
import { postgresConfig, type PostgresConnection } from './connection.js';

/** Advisory-lock key of ctfg instances on one database ("ctfg" in ASCII). */
const LOCK_KEY = 0x63746667;

export const LOCK_REFUSED =
  'another ctfg instance is using this database; run every instance with --redis (several instances share live events and limits through Redis)';

/**
 * Topology guard: PostgreSQL without Redis is one instance (its bus and
 * buckets are in-process), so it takes the lock exclusively; instances with
 * Redis share it. Mixing modes or a second lone instance is refused at start.
 * The lock lives as long as this dedicated session.
 */
export class InstanceLock {
  private constructor(private readonly client: pg.Client) {}

  static async acquire(connection: PostgresConnection, shared: boolean, onError: (err: Error) => void): Promise<InstanceLock> {
    const client = new pg.Client({ ...postgresConfig(connection), application_name: 'ctfg-instance-lock' });
    client.on('error', onError);
    try {
      await client.connect();
      const fn = shared ? 'pg_try_advisory_lock_shared' : 'pg_try_advisory_lock';
      const got = await client.query<{ ok: boolean }>(`SELECT ${fn}($1) AS ok`, [LOCK_KEY]);
      if (!got.rows[0]?.ok) throw new Error(LOCK_REFUSED);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return new InstanceLock(client);
  }

  /** Ending the session releases the lock. */
  async release(): Promise<void> {
    await this.client.end();
  }
}
