import type Database from 'better-sqlite3';

/**
 * Versioned schema. Each entry moves the database from version i to i+1;
 * `PRAGMA user_version` records where a file stands. Never edit a shipped
 * migration: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    username        TEXT NOT NULL UNIQUE,
    displayname     TEXT,
    displayname_key TEXT UNIQUE
  );
  -- AUTOINCREMENT: event ids never repeat, even after a reset deleted rows,
  -- so clients resuming with an old id can never confuse two events.
  CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    challenge_id INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('score', 'hint')),
    hint_id      INTEGER,
    points       INTEGER NOT NULL,
    ts           INTEGER NOT NULL,
    reload       INTEGER NOT NULL DEFAULT 0,
    CHECK ((kind = 'score') = (hint_id IS NULL))
  );
  -- These two make solves and hint purchases idempotent under any concurrency.
  CREATE UNIQUE INDEX events_one_solve ON events(user_id, challenge_id) WHERE kind = 'score';
  CREATE UNIQUE INDEX events_one_hint ON events(user_id, challenge_id, hint_id) WHERE kind = 'hint';
  CREATE INDEX events_by_user ON events(user_id);
  CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sessions_by_expiry ON sessions(expires_at);
  `,
  `
  -- Small shared values: the reset mark, secrets shared by instances.
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  `
  -- Running the event (SPEC §7, §8).
  CREATE TABLE announcements (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ts         INTEGER NOT NULL,
    text       TEXT NOT NULL,
    dedupe_key TEXT UNIQUE
  );
  CREATE TABLE admin_sessions (
    id_hash    TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    ts      INTEGER NOT NULL,
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
  ALTER TABLE users ADD COLUMN unranked INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE users ADD COLUMN last_seen INTEGER;
  CREATE TABLE blocked_names (key TEXT PRIMARY KEY) WITHOUT ROWID;
  -- SQLite cannot change a CHECK constraint: the events table is rebuilt with
  -- the new kinds, a reason, and a revoked mark the one-solve index skips.
  CREATE TABLE events_v2 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    challenge_id INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('score', 'hint', 'adjust', 'revoke')),
    hint_id      INTEGER,
    points       INTEGER NOT NULL,
    ts           INTEGER NOT NULL,
    reload       INTEGER NOT NULL DEFAULT 0,
    reason       TEXT,
    revoked      INTEGER NOT NULL DEFAULT 0,
    CHECK ((kind = 'hint') = (hint_id IS NOT NULL))
  );
  INSERT INTO events_v2 (id, user_id, challenge_id, kind, hint_id, points, ts, reload)
    SELECT id, user_id, challenge_id, kind, hint_id, points, ts, reload FROM events;
  -- Event ids never repeat: carry the sequence over (it is past the last row after a reset).
  DELETE FROM sqlite_sequence WHERE name = 'events_v2';
  INSERT INTO sqlite_sequence (name, seq) SELECT 'events_v2', seq FROM sqlite_sequence WHERE name = 'events';
  DROP TABLE events;
  ALTER TABLE events_v2 RENAME TO events;
  CREATE UNIQUE INDEX events_one_solve ON events(user_id, challenge_id) WHERE kind = 'score' AND revoked = 0;
  CREATE UNIQUE INDEX events_one_hint ON events(user_id, challenge_id, hint_id) WHERE kind = 'hint';
  CREATE INDEX events_by_user ON events(user_id);
  CREATE INDEX events_by_challenge ON events(challenge_id) WHERE kind = 'score';
  `,
  `
  -- h/subs: the submissions log (SPEC §8), every judged submit; flag text cut to
  -- 256 characters. AUTOINCREMENT: ids never repeat after a reset, so the
  -- console's paging and live tail cannot mix two submits up. No foreign key and only the
  -- two filter indexes: each costs every submit; the overview's counts come
  -- from submission_minutes, bumped once per written batch.
  CREATE TABLE submissions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ts           INTEGER NOT NULL,
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
    minute INTEGER PRIMARY KEY,
    total  INTEGER NOT NULL,
    wrong  INTEGER NOT NULL
  );
  `,
  `
  -- Teams (h/dyn, issue 12, SPEC §9): the team an event was made for; in team
  -- mode a challenge is solved and a hint bought once per team.
  ALTER TABLE events ADD COLUMN team TEXT;
  CREATE UNIQUE INDEX events_one_team_solve ON events(team, challenge_id) WHERE kind = 'score' AND revoked = 0 AND team IS NOT NULL;
  CREATE UNIQUE INDEX events_one_team_hint ON events(team, challenge_id, hint_id) WHERE kind = 'hint' AND team IS NOT NULL;
  CREATE INDEX events_by_team ON events(team) WHERE team IS NOT NULL;
`,
];

export function migrate(db: Database.Database): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > MIGRATIONS.length) {
    throw new Error(
      `database schema version ${from} is newer than this ctfg understands (${MIGRATIONS.length}); upgrade ctfg or use another --dbdir`,
    );
  }
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return { from, to: MIGRATIONS.length };
}
