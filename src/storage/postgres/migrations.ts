import type { PoolClient } from 'pg';

/**
 * Versioned PostgreSQL schema; entry i moves version i to i+1. Mirrors the
 * SQLite schema, plus a gapless event counter in `meta` (see PostgresStore).
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id              SERIAL PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    displayname     TEXT,
    displayname_key TEXT UNIQUE
  );
  CREATE TABLE events (
    id           BIGINT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    challenge_id INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('score', 'hint')),
    hint_id      INTEGER,
    points       INTEGER NOT NULL,
    ts           BIGINT NOT NULL,
    reload       BOOLEAN NOT NULL DEFAULT false,
    CHECK ((kind = 'score') = (hint_id IS NULL))
  );
  CREATE UNIQUE INDEX events_one_solve ON events(user_id, challenge_id) WHERE kind = 'score';
  CREATE UNIQUE INDEX events_one_hint ON events(user_id, challenge_id, hint_id) WHERE kind = 'hint';
  CREATE INDEX events_by_user ON events(user_id);
  CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_expiry ON sessions(expires_at);
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  INSERT INTO meta (key, value) VALUES ('last_event_id', '0'), ('reset_count', '0'), ('reset_after_id', '0');
  `,
  `
  CREATE TABLE announcements (
    id         BIGSERIAL PRIMARY KEY,
    ts         BIGINT NOT NULL,
    text       TEXT NOT NULL,
    dedupe_key TEXT UNIQUE
  );
  CREATE TABLE admin_sessions (
    id_hash    TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE TABLE audit (
    id      BIGSERIAL PRIMARY KEY,
    ts      BIGINT NOT NULL,
    admin   TEXT NOT NULL,
    address TEXT NOT NULL,
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL
  );
  CREATE INDEX events_by_challenge ON events(challenge_id) WHERE kind = 'score';
  `,
  `
  -- Moderation (h/mod, SPEC §8): bans, unranked players, blocked names, adjust and revoke events.
  ALTER TABLE users ADD COLUMN ban_reason TEXT;
  ALTER TABLE users ADD COLUMN unranked BOOLEAN NOT NULL DEFAULT false;
  ALTER TABLE users ADD COLUMN last_seen BIGINT;
  CREATE TABLE blocked_names (key TEXT PRIMARY KEY);
  ALTER TABLE events DROP CONSTRAINT IF EXISTS events_kind_check;
  ALTER TABLE events DROP CONSTRAINT IF EXISTS events_check;
  ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('score', 'hint', 'adjust', 'revoke'));
  ALTER TABLE events ADD CONSTRAINT events_hint_id_check CHECK ((kind = 'hint') = (hint_id IS NOT NULL));
  ALTER TABLE events ADD COLUMN reason TEXT;
  ALTER TABLE events ADD COLUMN revoked BOOLEAN NOT NULL DEFAULT false;
  DROP INDEX events_one_solve;
  CREATE UNIQUE INDEX events_one_solve ON events(user_id, challenge_id) WHERE kind = 'score' AND NOT revoked;
  `,
  `
  -- h/subs: the submissions log (SPEC §8), every judged submit; flag text cut to
  -- 256 characters. ids never repeat after a reset, so the console's paging
  -- and live tail cannot mix two submits up. No foreign key and only the
  -- two filter indexes: each costs every submit; the overview's counts come
  -- from submission_minutes, bumped once per written batch.
  CREATE TABLE submissions (
    id           BIGSERIAL PRIMARY KEY,
    ts           BIGINT NOT NULL,
    user_id      INTEGER NOT NULL,
    displayname  TEXT NOT NULL,
    challenge_id INTEGER NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('correct', 'incorrect')),
    flag         TEXT NOT NULL,
    address      TEXT NOT NULL
  );
  CREATE INDEX submissions_by_user ON submissions(user_id, id);
  CREATE INDEX submissions_by_challenge ON submissions(challenge_id, id);
  -- Judged submits per minute (start of the minute in ms): derived from submissions.
  CREATE TABLE submission_minutes (
    minute BIGINT PRIMARY KEY,
    total  INTEGER NOT NULL,
    wrong  INTEGER NOT NULL
  );
  `,
  `
  -- Teams (h/dyn, issue 12, SPEC §9): the team an event was made for; in team
  -- mode a challenge is solved and a hint bought once per team.
  ALTER TABLE events ADD COLUMN team TEXT;
  CREATE UNIQUE INDEX events_one_team_solve ON events(team, challenge_id) WHERE kind = 'score' AND NOT revoked AND team IS NOT NULL;
  CREATE UNIQUE INDEX events_one_team_hint ON events(team, challenge_id, hint_id) WHERE kind = 'hint' AND team IS NOT NULL;
  CREATE INDEX events_by_team ON events(team) WHERE team IS NOT NULL;
`,
];

/** Applies pending migrations under an advisory lock, so instances starting together do not race. */
export async function migratePostgres(client: PoolClient): Promise<{ from: number; to: number }> {
  await client.query('SELECT pg_advisory_lock(727001)');
  try {
    await client.query('CREATE TABLE IF NOT EXISTS ctfg_schema (version INTEGER NOT NULL)');
    const row = await client.query<{ version: number }>('SELECT version FROM ctfg_schema');
    let version = row.rows[0]?.version ?? 0;
    if (row.rows.length === 0) await client.query('INSERT INTO ctfg_schema (version) VALUES (0)');
    const from = version;
    if (from > PG_MIGRATIONS.length) {
      throw new Error(`database schema version ${from} is newer than this ctfg understands (${PG_MIGRATIONS.length})`);
    }
    for (; version < PG_MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      try {
        await client.query(PG_MIGRATIONS[version] as string);
        await client.query('UPDATE ctfg_schema SET version = $1', [version + 1]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return { from, to: PG_MIGRATIONS.length };
  } finally {
    await client.query('SELECT pg_advisory_unlock(727001)');
  }
}
