import type { ChallengeView } from '../protocol/api.js';
import type { LiveEvent, SeriesEntry, SnapshotMessage } from '../protocol/messages.js';
import type { EventRecord, StoredGame, UserRecord } from '../storage/store.js';
import { isVisible } from '../domain/rules.js';
import type { CompiledGame } from './compiled-game.js';
import { EventLog } from './event-log.js';
import { clearProgress, newPlayer, shownName, type Player } from './player.js';
import { Standings } from './standings.js';

export interface GameStateOptions {
  /** how many recent events are kept for resuming clients */
  readonly resumeCapacity?: number;
  /** how many players the score-over-time chart shows */
  readonly topN?: number;
}

/**
 * The in-memory picture of the game, rebuilt from the store at start in one
 * pass and then updated incrementally per event. Every hot read (visible
 * challenges, standings, snapshots) is served from here, and serialized
 * answers are cached until something they depend on changes.
 */
export class GameState {
  private readonly byId = new Map<number, Player>();
  private readonly byUsername = new Map<string, Player>();
  private readonly standings = new Standings();
  readonly log: EventLog;
  private readonly topN: number;
  // Cached as encoded bytes: a 200 KB answer is not re-encoded for every reader.
  private scoreboardCache: Buffer | null = null;
  private snapshotCache: Buffer | null = null;

  constructor(
    private game: CompiledGame,
    users: readonly UserRecord[],
    stored: StoredGame,
    options: GameStateOptions = {},
  ) {
    this.topN = options.topN ?? 10;
    for (const u of users) this.addPlayer(u);
    const first = stored.events[0];
    this.log = new EventLog(options.resumeCapacity ?? 20_000, first ? first.id - 1 : stored.lastId);
    for (const e of stored.events) this.apply(e);
  }

  get currentGame(): CompiledGame {
    return this.game;
  }

  get lastEventId(): number {
    return this.log.lastId;
  }

  get boardSize(): number {
    return this.standings.size;
  }

  /** Swaps in a re-read challenge set; recorded events keep the points they were worth. */
  setGame(game: CompiledGame): void {
    this.game = game;
    for (const p of this.byId.values()) p.challengesBody = null;
  }

  addPlayer(u: UserRecord): Player {
    const existing = this.byId.get(u.id);
    if (existing) return existing;
    const p = newPlayer(u.id, u.username, u.displayname);
    this.byId.set(u.id, p);
    this.byUsername.set(u.username, p);
    return p;
  }

  playerById(id: number): Player | undefined {
    return this.byId.get(id);
  }

  playerByUsername(username: string): Player | undefined {
    return this.byUsername.get(username);
  }

  /**
   * Folds one recorded event into the state and returns its live form and
   * that form serialized (once, for every socket), or null when it was
   * already applied (events are idempotent by their unique key).
   */
  apply(e: EventRecord): { readonly event: LiveEvent; readonly json: string } | null {
    const p = this.byId.get(e.userId);
    if (!p) return null;
    if (e.kind === 'score') {
      if (p.solved.has(e.challengeId)) return null;
      p.solved.add(e.challengeId);
      p.solves++;
    } else {
      let bought = p.hints.get(e.challengeId);
      if (!bought) p.hints.set(e.challengeId, (bought = new Set()));
      if (bought.has(e.hintId as number)) return null;
      bought.add(e.hintId as number);
    }
    p.score += e.points;
    if (e.points !== 0 || !p.onBoard) {
      p.lastTs = e.ts;
      p.series.push([e.ts, p.score]);
    }
    p.onBoard = true;
    p.challengesBody = null;
    this.standings.update(p);
    this.invalidateBoard();
    const title = this.game.byId.get(e.challengeId)?.challenge.title ?? `#${e.challengeId}`;
    const live: LiveEvent = {
      id: e.id,
      type: e.kind,
      displayname: shownName(p),
      ts: e.ts,
      challenge_id: e.challengeId,
      challenge: title,
      points: e.points,
      ...(e.hintId !== null ? { hint_id: e.hintId } : {}),
      ...(e.reload ? { reload: 'true' as const } : {}),
    };
    return { event: live, json: this.log.append(live) };
  }

  setDisplayName(p: Player, name: string): void {
    p.displayname = name;
    p.challengesBody = null;
    if (p.onBoard) {
      this.standings.update(p);
      this.invalidateBoard();
    }
  }

  isNameTaken(key: string, except: Player): boolean {
    for (const p of this.byId.values()) {
      if (p !== except && p.displayname !== null && this.game.nameKey(p.displayname) === key) return true;
    }
    return false;
  }

  /** The serialized /api/challenges answer for one player. */
  challengesBody(p: Player): Buffer {
    if (p.challengesBody !== null) return p.challengesBody;
    const views: ChallengeView[] = [];
    for (const c of this.game.challenges) {
      if (!isVisible(c.challenge, p.solved)) continue;
      const bought = p.hints.get(c.challenge.id);
      views.push({
        id: c.challenge.id,
        title: c.challenge.title,
        category: c.challenge.category,
        difficulty: c.challenge.difficulty,
        points: c.challenge.points,
        solved: p.solved.has(c.challenge.id),
        description: c.render(p),
        hints: c.challenge.hints.map((h) => (bought?.has(h.id) ? { id: h.id, cost: h.cost, text: h.text } : { id: h.id, cost: h.cost })),
        content: c.challenge.content ?? '',
      });
    }
    p.challengesBody = Buffer.from(JSON.stringify(views));
    return p.challengesBody;
  }

  scoreboardBody(): Buffer {
    this.scoreboardCache ??= Buffer.from(JSON.stringify({ standings: this.standings.toRows() }));
    return this.scoreboardCache;
  }

  /** The first scorestream message: whole board plus top-N series; size depends on players, not events. */
  snapshotBody(now: number): Buffer {
    if (this.snapshotCache === null) {
      const top: SeriesEntry[] = this.standings.top(this.topN).map((p) => ({ displayname: shownName(p), points: p.series }));
      const msg: SnapshotMessage = { type: 'snapshot', last_id: this.log.lastId, ts: now, standings: this.standings.toRows(), top };
      this.snapshotCache = Buffer.from(JSON.stringify(msg));
    }
    return this.snapshotCache;
  }

  /** Missed events after `since` as a serialized array, or null when a snapshot is needed. */
  resumeJson(since: number): string | null {
    // Past about one event per player on the board a snapshot is smaller.
    return this.log.since(since, Math.max(100, this.standings.size));
  }

  /** Admin reset: forget every event and name up to `afterId`; event ids keep increasing. */
  reset(afterId: number): void {
    for (const p of this.byId.values()) clearProgress(p);
    this.standings.clear();
    this.log.clear(afterId);
    this.invalidateBoard();
  }

  private invalidateBoard(): void {
    this.scoreboardCache = null;
    this.snapshotCache = null;
  }
}
