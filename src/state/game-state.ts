import type { ChallengeView, CtftimeFeed } from '../protocol/api.js';
import type { LiveEvent } from '../protocol/messages.js';
import type { EventRecord, StoredGame, UserRecord } from '../storage/store.js';
import { isVisible } from '../domain/rules.js';
import { Board } from './board.js';
import type { CompiledGame } from './compiled-game.js';
import { EventLog, type Viewer } from './event-log.js';
import { clearProgress, newPlayer, shownName, type Player } from './player.js';

export interface GameStateOptions {
  /** how many recent events are kept for resuming clients */
  readonly resumeCapacity?: number;
  /** how many players the score-over-time chart shows */
  readonly topN?: number;
  /** first-blood bonus for the 1st, 2nd, 3rd solver */
  readonly firstBloodBonus?: readonly number[];
  /** the freeze in force (not revealed), ms since the epoch */
  readonly freezeAt?: number | null;
}

/** One applied event: its full form for admins, and who else may see it. */
export interface Applied {
  readonly event: LiveEvent;
  /** the full form, serialized once */
  readonly json: string;
  readonly userId: number;
  /** non-null when the event came during the freeze: only its own player gets it, in this form */
  readonly ownJson: string | null;
}

/** Which board a reader gets: players and viewers the (possibly frozen) public one, admins the live one. */
export type BoardView = 'public' | 'admin';

interface Kept {
  readonly e: EventRecord;
  readonly bonus: number;
}

/**
 * The in-memory picture of the game, rebuilt from the store at start in one
 * pass and then updated incrementally per event. Every hot read (visible
 * challenges, standings, snapshots) is served from here. Two boards: the
 * live one (admins) and, while a freeze is in force, the board as it was at
 * the freeze (everyone else), built from the events before it.
 */
export class GameState {
  private readonly byId = new Map<number, Player>();
  private readonly byUsername = new Map<string, Player>();
  private readonly live = new Board();
  private frozen: Board | null = null;
  private freezeAt: number | null;
  private bonus: readonly number[];
  /** every event since the last reset, with its first-blood bonus: a new freeze rebuilds its board from them */
  private kept: Kept[] = [];
  private readonly solveCounts = new Map<number, number>();
  /** event id → its first-blood bonus, for the few solves that have one */
  private readonly bonusById = new Map<number, number>();
  private unreleased: ReadonlySet<number> = new Set();
  /** a resume from before this id gets a snapshot (reveal, new freeze) */
  private resyncId = 0;
  readonly log: EventLog;
  private readonly topN: number;

  constructor(
    private game: CompiledGame,
    users: readonly UserRecord[],
    stored: StoredGame,
    options: GameStateOptions = {},
  ) {
    this.topN = options.topN ?? 10;
    this.bonus = options.firstBloodBonus ?? [];
    this.freezeAt = options.freezeAt ?? null;
    if (this.freezeAt !== null) this.frozen = new Board();
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
    return this.live.size;
  }

  get firstBloodBonus(): readonly number[] {
    return this.bonus;
  }

  /** Swaps in a re-read challenge set; recorded events keep the points they were worth. */
  setGame(game: CompiledGame): void {
    this.game = game;
    this.invalidateChallenges();
  }

  /** Challenges whose release time has not come: hidden from players, unknown to submit. */
  setUnreleased(ids: ReadonlySet<number>): void {
    if (ids.size === this.unreleased.size && [...ids].every((id) => this.unreleased.has(id))) return;
    this.unreleased = ids;
    this.invalidateChallenges();
  }

  isHidden(challengeId: number): boolean {
    return this.unreleased.has(challengeId);
  }

  /**
   * The freeze in force (null: none, or revealed). A change rebuilds the
   * frozen board from the events before it; returns whether it changed.
   */
  setFreeze(freezeAt: number | null): boolean {
    if (freezeAt === this.freezeAt) return false;
    this.freezeAt = freezeAt;
    this.frozen = freezeAt === null ? null : new Board();
    for (const p of this.byId.values()) p.hiddenBonus = 0;
    for (const { e, bonus } of this.kept) {
      const p = this.byId.get(e.userId) as Player;
      if (this.isPrivate(e)) p.hiddenBonus += bonus;
      else this.frozen?.apply(e, p);
    }
    this.resyncId = this.log.lastId;
    return true;
  }

  /** A since older than this must be answered with a snapshot. */
  markResync(): void {
    this.resyncId = this.log.lastId;
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

  /** Came during the freeze in force: hidden from everyone but its player (and admins). */
  private isPrivate(e: EventRecord): boolean {
    return this.freezeAt !== null && e.ts >= this.freezeAt;
  }

  /** The player's own score as they see it: live, without first-blood bonuses hidden by the freeze. */
  ownScore(p: Player): number {
    return p.score - p.hiddenBonus;
  }

  /** A recorded solve's points as its player sees them now. */
  ownPoints(e: EventRecord): number {
    if (!this.isPrivate(e)) return e.points;
    return e.points - (this.bonusById.get(e.id) ?? 0);
  }

  /** Updates the player's own progress; false when the event was already applied. */
  private applyToPlayer(p: Player, e: EventRecord): boolean {
    if (e.kind === 'score') {
      if (p.solved.has(e.challengeId)) return false;
      p.solved.add(e.challengeId);
    } else {
      let bought = p.hints.get(e.challengeId);
      if (!bought) p.hints.set(e.challengeId, (bought = new Set()));
      if (bought.has(e.hintId as number)) return false;
      bought.add(e.hintId as number);
    }
    p.score += e.points;
    p.challengesBody = null;
    return true;
  }

  /**
   * Folds one recorded event into the state and returns its live forms,
   * serialized once for every socket, or null when it was already applied
   * (events are idempotent by their unique key).
   */
  apply(e: EventRecord): Applied | null {
    const p = this.byId.get(e.userId);
    if (!p || !this.applyToPlayer(p, e)) return null;
    let blood: 1 | 2 | 3 | undefined;
    let bonus = 0;
    if (e.kind === 'score') {
      const rank = (this.solveCounts.get(e.challengeId) ?? 0) + 1;
      this.solveCounts.set(e.challengeId, rank);
      if (rank <= 3) {
        blood = rank as 1 | 2 | 3;
        bonus = this.bonus[rank - 1] ?? 0;
      }
    }
    this.kept.push({ e, bonus });
    if (bonus > 0) this.bonusById.set(e.id, bonus);
    this.live.apply(e, p);
    const hidden = this.isPrivate(e);
    if (hidden) p.hiddenBonus += bonus;
    else this.frozen?.apply(e, p);
    const title = this.game.byId.get(e.challengeId)?.challenge.title ?? `#${e.challengeId}`;
    const event: LiveEvent = {
      id: e.id,
      type: e.kind,
      displayname: shownName(p),
      ts: e.ts,
      challenge_id: e.challengeId,
      challenge: title,
      points: e.points,
      ...(e.hintId !== null ? { hint_id: e.hintId } : {}),
      ...(e.reload ? { reload: 'true' as const } : {}),
      ...(blood !== undefined ? { blood } : {}),
    };
    const json = JSON.stringify(event);
    // During the freeze the solver's own copy shows no blood and no bonus until the reveal.
    const ownJson = hidden ? JSON.stringify({ ...event, points: e.points - bonus, blood: undefined }) : null;
    this.log.append(event, e.userId, json, ownJson);
    return { event, json, userId: e.userId, ownJson };
  }

  setDisplayName(p: Player, name: string): void {
    p.displayname = name;
    p.challengesBody = null;
    this.live.rename(p);
    this.frozen?.rename(p);
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
      if (this.unreleased.has(c.challenge.id) || !isVisible(c.challenge, p.solved)) continue;
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

  private board(view: BoardView): Board {
    return view === 'admin' ? this.live : (this.frozen ?? this.live);
  }

  scoreboardBody(view: BoardView = 'public'): Buffer {
    return this.board(view).scoreboardBody();
  }

  /** The first scorestream message: whole board plus top-N series; size depends on players, not events. */
  snapshotBody(now: number, view: BoardView = 'public'): Buffer {
    return this.board(view).snapshotBody(this.log.lastId, now, this.topN);
  }

  /** Missed events after `since` as a serialized array, or null when a snapshot is needed. */
  resumeJson(since: number, viewer: Viewer = { admin: false, userId: null }): string | null {
    if (since < this.resyncId) return null;
    // Past about one event per player on the board a snapshot is smaller.
    return this.log.since(since, Math.max(100, this.live.size), viewer);
  }

  /** The live (never frozen) board in order: the results export. */
  liveRows(): ReturnType<Board['rowsInOrder']> {
    return this.live.rowsInOrder();
  }

  /** The CTFtime feed from the public board: released challenges are the tasks. */
  ctftime(): CtftimeFeed {
    const titles = new Map<number, string>();
    for (const c of this.game.challenges) if (!this.unreleased.has(c.challenge.id)) titles.set(c.challenge.id, c.challenge.title);
    return this.board('public').ctftime(titles);
  }

  /** Admin reset: forget every event and name up to `afterId`; event ids keep increasing. */
  reset(afterId: number): void {
    for (const p of this.byId.values()) clearProgress(p);
    this.kept = [];
    this.solveCounts.clear();
    this.bonusById.clear();
    this.live.clear();
    this.frozen?.clear();
    this.log.clear(afterId);
  }

  private invalidateChallenges(): void {
    for (const p of this.byId.values()) p.challengesBody = null;
  }
}
