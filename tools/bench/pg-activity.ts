/** What the game's PostgreSQL backends do during a run, from pg_stat_activity. */
import pg from 'pg';

/** What the game's PostgreSQL backends were doing, averaged over samples. */
export interface PgActivity {
  readonly samples: number;
  /** backends running a query (on CPU or I/O), on average */
  readonly running: number;
  /** backends waiting for a lock (with ctfg: the event-counter row every write bumps), on average */
  readonly lockWaiting: number;
  /** backends waiting on their client (ctfg) inside a transaction, on average */
  readonly idleInTransaction: number;
  /** share of samples in which at least one backend waited for a lock */
  readonly lockedShare: number;
}

export interface PgSampler {
  /** stops sampling; the averages since start (or since the last stop) */
  stop(): Promise<PgActivity>;
}

const ACTIVITY = `
SELECT count(*) FILTER (WHERE state = 'active' AND wait_event_type IS DISTINCT FROM 'Lock')::int AS running,
       count(*) FILTER (WHERE state = 'active' AND wait_event_type = 'Lock')::int AS waiting,
       count(*) FILTER (WHERE state = 'idle in transaction')::int AS idle_tx
FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;

/**
 * Samples pg_stat_activity of the run's database every `everyMs` on its own
 * connection until stopped (bounded by `maxMs` in any case), to show whether
 * writers run side by side or queue on a lock.
 */
export async function samplePg(dbUrl: string, everyMs = 25, maxMs = 600_000): Promise<PgSampler> {
  const client = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  let samples = 0;
  let running = 0;
  let waiting = 0;
  let idleTx = 0;
  let lockedSamples = 0;
  let stopped = false;
  const until = performance.now() + maxMs;
  const loop = (async () => {
    while (!stopped && performance.now() < until) {
      const started = performance.now();
      try {
        const row = (await client.query<{ running: number; waiting: number; idle_tx: number }>(ACTIVITY)).rows[0];
        if (row) {
          samples++;
          running += row.running;
          waiting += row.waiting;
          idleTx += row.idle_tx;
          if (row.waiting > 0) lockedSamples++;
        }
      } catch {
        return;
      }
      const rest = everyMs - (performance.now() - started);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end().catch(() => undefined);
      const avg = (n: number): number => (samples > 0 ? n / samples : NaN);
      return { samples, running: avg(running), lockWaiting: avg(waiting), idleInTransaction: avg(idleTx), lockedShare: avg(lockedSamples) };
    },
  };
}

/** Adds two sets of samples (e.g. the rounds ctfg was loaded). */
export function addPgActivity(a: PgActivity | null, b: PgActivity): PgActivity {
  if (!a || a.samples === 0) return b;
  const n = a.samples + b.samples;
  const mix = (x: number, y: number): number => (x * a.samples + y * b.samples) / n;
  return {
    samples: n,
    running: mix(a.running, b.running),
    lockWaiting: mix(a.lockWaiting, b.lockWaiting),
    idleInTransaction: mix(a.idleInTransaction, b.idleInTransaction),
    lockedShare: mix(a.lockedShare, b.lockedShare),
  };
}
