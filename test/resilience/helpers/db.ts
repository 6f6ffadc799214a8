import path from 'node:path';
import Database from '../../../src/storage/sqlite/driver.js';
import { compareStandings } from '../../../src/domain/rules.js';

export interface DbEvent {
  readonly id: number;
  readonly user_id: number;
  readonly challenge_id: number;
  readonly kind: 'score' | 'hint';
  readonly hint_id: number | null;
  readonly points: number;
  readonly ts: number;
  readonly reload: number;
}

export interface DbUser {
  readonly id: number;
  readonly username: string;
  readonly displayname: string | null;
}

export interface DbContents {
  readonly events: DbEvent[];
  readonly users: DbUser[];
  readonly sessions: number;
}

/** Reads the database of a stopped server (a running one holds an exclusive lock). */
export function readDb(dbDir: string): DbContents {
  const db = new Database(path.join(dbDir, 'events.db'), { readonly: true, fileMustExist: true });
  try {
    return {
      events: db.prepare('SELECT id, user_id, challenge_id, kind, hint_id, points, ts, reload FROM events ORDER BY id').all() as DbEvent[],
      users: db.prepare('SELECT id, username, displayname FROM users ORDER BY id').all() as DbUser[],
      sessions: (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

export interface StandingRow {
  readonly displayname: string;
  readonly score: number;
  readonly solves: number;
  readonly last_ts: number;
}

/** Standings recomputed from the events alone by the documented rule (src/domain/rules.ts). */
export function replayStandings(contents: DbContents): StandingRow[] {
  const users = new Map(contents.users.map((u) => [u.id, u]));
  const players = new Map<number, { displayname: string; score: number; solves: number; lastTs: number }>();
  for (const e of contents.events) {
    let p = players.get(e.user_id);
    if (!p) {
      const u = users.get(e.user_id);
      p = { displayname: u?.displayname ?? u?.username ?? `#${e.user_id}`, score: 0, solves: 0, lastTs: e.ts };
      players.set(e.user_id, p);
    }
    p.score += e.points;
    if (e.kind === 'score') p.solves++;
    if (e.points !== 0) p.lastTs = e.ts;
  }
  return [...players.values()].sort(compareStandings).map((p) => ({ displayname: p.displayname, score: p.score, solves: p.solves, last_ts: p.lastTs }));
}

export interface GameRules {
  readonly challenges: ReadonlyArray<{
    id: number;
    points: number;
    requirements?: number[];
    hints?: Array<{ id: number; cost: number }>;
  }>;
}

/**
 * The database invariants (SPEC §3, §5), checked by replaying the events in id
 * order per player. Returns every violation found (empty when all hold).
 */
export function checkInvariants(contents: DbContents, game: GameRules): string[] {
  const problems: string[] = [];
  const users = new Set(contents.users.map((u) => u.id));
  const challenges = new Map(game.challenges.map((c) => [c.id, c]));
  const perPlayer = new Map<number, { score: number; solved: Set<number>; hints: Map<number, Set<number>> }>();
  let lastId = 0;
  for (const e of contents.events) {
    if (e.id <= lastId) problems.push(`event ${e.id}: ids not increasing`);
    lastId = e.id;
    if (!users.has(e.user_id)) problems.push(`event ${e.id}: unknown player ${e.user_id}`);
    const c = challenges.get(e.challenge_id);
    if (!c) {
      problems.push(`event ${e.id}: unknown challenge ${e.challenge_id}`);
      continue;
    }
    let p = perPlayer.get(e.user_id);
    if (!p) perPlayer.set(e.user_id, (p = { score: 0, solved: new Set(), hints: new Map() }));
    const visible = (c.requirements ?? []).every((r) => p.solved.has(r));
    if (e.kind === 'score') {
      if (p.solved.has(e.challenge_id)) problems.push(`event ${e.id}: second solve of ${e.challenge_id} by ${e.user_id}`);
      if (e.points !== c.points) problems.push(`event ${e.id}: solve worth ${e.points}, challenge is worth ${c.points}`);
      // Awards (reload) skip the requirement check by design; submits may not.
      if (!visible && e.reload !== 1) problems.push(`event ${e.id}: solve of locked challenge ${e.challenge_id}`);
      p.solved.add(e.challenge_id);
    } else {
      const hints = c.hints ?? [];
      const index = hints.findIndex((h) => h.id === e.hint_id);
      const bought = p.hints.get(e.challenge_id) ?? new Set<number>();
      p.hints.set(e.challenge_id, bought);
      if (index < 0) problems.push(`event ${e.id}: unknown hint ${e.hint_id} of ${e.challenge_id}`);
      else {
        const hint = hints[index] as { id: number; cost: number };
        if (bought.has(hint.id)) problems.push(`event ${e.id}: hint ${hint.id} of ${e.challenge_id} bought twice`);
        const previous = index > 0 ? hints[index - 1] : undefined;
        if (previous && !bought.has(previous.id)) problems.push(`event ${e.id}: hint ${hint.id} bought before hint ${previous.id}`);
        if (e.points !== -hint.cost) problems.push(`event ${e.id}: hint charged ${e.points}, costs ${hint.cost}`);
        if (hint.cost > 0 && p.score < hint.cost) problems.push(`event ${e.id}: hint costing ${hint.cost} bought with score ${p.score}`);
        if (!visible) problems.push(`event ${e.id}: hint of locked challenge ${e.challenge_id}`);
        bought.add(hint.id);
      }
    }
    p.score += e.points;
    if (p.score < 0) problems.push(`event ${e.id}: score of ${e.user_id} dropped to ${p.score}`);
  }
  return problems;
}
