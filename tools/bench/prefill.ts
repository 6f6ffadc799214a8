import path from 'node:path';
import Database from '../../src/storage/sqlite/driver.js';
import type { BenchGame, Credential } from './game.js';

/**
 * Writes a played-out game straight into events.db, for scenarios that need
 * a big board or a long history. The database must already exist with ctfg's
 * schema and users (start ctfg once on it and stop it): this only sets
 * display names and inserts events, with the columns of ctfg's events table.
 */

export interface PrefillOptions {
  /** players who get events (and a display name) */
  readonly players: readonly Credential[];
  readonly eventsPerPlayer: number;
  /** display name of the i-th player */
  readonly nameOf: (index: number) => string;
  /** the history spreads over this many ms before now */
  readonly spanMs: number;
  readonly seed?: number;
}

interface Row {
  readonly userId: number;
  readonly challengeId: number;
  readonly kind: 'score' | 'hint';
  readonly hintId: number | null;
  readonly points: number;
  readonly ts: number;
}

/** Small deterministic PRNG (mulberry32) so runs are comparable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One player's history: about 70% solves and 30% hints; the hints of a
 * challenge are bought in order, just before its solve, never twice — so
 * ctfg's unique indexes (one solve per challenge, one purchase per hint) hold.
 */
function playerEvents(game: BenchGame, userId: number, count: number, start: number, end: number, rand: () => number): Row[] {
  const challenges = [...game.challenges].sort(() => rand() - 0.5);
  const capacity = (n: number): number => challenges.slice(0, n).reduce((sum, c) => sum + c.hints.length, 0);
  let solves = Math.min(challenges.length, Math.ceil(count * 0.7));
  if (count - solves > capacity(solves)) solves = Math.min(challenges.length, count);
  let hints = count - solves;
  if (hints > capacity(solves)) throw new Error(`a player can have at most ${solves + capacity(solves)} events in this game, not ${count}`);
  // Hint 1 of as many challenges as needed, then hint 2, …
  const bought = new Array<number>(solves).fill(0);
  for (let pass = 0; hints > 0; pass++) {
    for (let i = 0; i < solves && hints > 0; i++) {
      if ((challenges[i]?.hints.length ?? 0) > pass) {
        bought[i] = (bought[i] as number) + 1;
        hints--;
      }
    }
  }
  const rows: Row[] = [];
  let ts = start + rand() * (end - start) * 0.2;
  // Each step is 0.5–1.5 × `step`: the last event stays before `end`.
  const step = (end - ts) / (1.5 * (count + 1));
  const at = (): number => Math.round((ts += step * (0.5 + rand())));
  for (let i = 0; i < solves; i++) {
    const c = challenges[i] as BenchGame['challenges'][number];
    for (const h of c.hints.slice(0, bought[i])) {
      rows.push({ userId, challengeId: c.id, kind: 'hint', hintId: h.id, points: -h.cost, ts: at() });
    }
    rows.push({ userId, challengeId: c.id, kind: 'score', hintId: null, points: c.points, ts: at() });
  }
  return rows;
}

export function prefill(game: BenchGame, dbDir: string, o: PrefillOptions): { events: number; players: number } {
  const db = new Database(path.join(dbDir, 'events.db'));
  try {
    const ids = new Map((db.prepare('SELECT id, username FROM users').all() as Array<{ id: number; username: string }>).map((u) => [u.username, u.id]));
    const rand = prng(o.seed ?? 20240601);
    const end = Date.now() - 60_000;
    const start = end - o.spanMs;
    const rows: Row[] = [];
    o.players.forEach((p) => {
      const id = ids.get(p.username);
      if (id === undefined) throw new Error(`user ${p.username} is not in the database: start ctfg on it once before pre-filling`);
      rows.push(...playerEvents(game, id, o.eventsPerPlayer, start, end, rand));
    });
    // Ids in time order, as a real game would have written them.
    rows.sort((a, b) => a.ts - b.ts);
    const setName = db.prepare('UPDATE users SET displayname = ?, displayname_key = ? WHERE username = ?');
    const insert = db.prepare('INSERT INTO events (user_id, challenge_id, kind, hint_id, points, ts, reload) VALUES (?, ?, ?, ?, ?, ?, 0)');
    db.transaction(() => {
      o.players.forEach((p, i) => {
        const name = o.nameOf(i);
        setName.run(name, name.normalize('NFKC').toLowerCase(), p.username);
      });
      for (const r of rows) insert.run(r.userId, r.challengeId, r.kind, r.hintId, r.points, r.ts);
    })();
    return { events: rows.length, players: o.players.length };
  } finally {
    db.close();
  }
}
