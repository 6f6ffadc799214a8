import type { ChallengeView, CtftimeFeed } from '../protocol/api.js';
import type { AdjustEvent, LiveEvent, RevokeEvent, StreamEvent } from '../protocol/messages.js';
import type { EventRecord, StoredGame, UserRecord } from '../storage/store.js';
import { isVisible } from '../domain/rules.js';
import { Board, type Scored } from './board.js';
import type { CompiledGame } from './compiled-game.js';
import { EventLog, type Viewer } from './event-log.js';
import { clearProgress, clearScores, isCounted, newPlayer, shownName, type Player } from './player.js';

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
  readonly event: StreamEvent;
  /** the full form, serialized once */
  readonly json: string;
  readonly userId: number;
  /** non-null when only its own player (and admins) may see it: in this form */
  readonly ownJson: string | null;
  /** the boards were rebuilt (a revoke): every socket needs a fresh snapshot after this event */
  readonly resync?: true;
}

/** Which board a reader gets: players and viewers the (possibly frozen) public one, admins the live one. */
export type BoardView = 'public' | 'admin';

/** What folding one event into the state gave it. */
interface Folded {
  readonly points: number;
  readonly bonus: number;
  readonly blood: 1 | 2 | 3 | undefined;
}

/** Moderation flags of one player; absent fields stay as they are. */
export interface PlayerFlags {
  readonly banReason?: string | null;
  readonly unranked?: boolean;
}

/** The solves cancelled by the revoke events among `events` (each revoke cancels the standing solve). */
function revokedSolves(events: readonly EventRecord[]): Set<number> {
  const standing = new Map<string, number>();
  const revoked = new Set<number>();
  for (const e of events) {
    const key = `${e.userId}:${e.challengeId}`;
    if (e.kind === 'score') standing.set(key, e.id);
    else if (e.kind === 'revoke') {
      const id = standing.get(key);
      if (id !== undefined) revoked.add(id);
      standing.delete(key);
    }
  }
  return revoked;
}

/**
 * The in-memory picture of the game, rebuilt from the store at start in one
 * pass and then updated incrementally per event. Every hot read (visible
 * challenges, standings, snapshots) is served from here. Two boards: the
 * live one (admins) and, while a freeze is in force, the board as it was at
 * the freeze (everyone else), built from the events before it.
 *
 * A solve is worth its challenge's value in the CURRENT game plus the
 * first-blood bonus of its rank among counted (neither banned nor unranked)
 * solvers, so rare admin changes (ban, unranked, revoke, a new game, a new
 * freeze) simply rebuild everything from the kept events.
 */
export class GameState {
  private readonly byId = new Map<number, Player>();
  private readonly byUsername = new Map<string, Player>();
  private readonly live = new Board();
  private frozen: Board | null = null;
  private freezeAt: number | null;
  private bonus: readonly number[];
  /** every event since the last reset, in id order: rebuilds replay them */
  private kept: EventRecord[] = [];
  /** solve event ids cancelled by a revoke */
  private readonly revoked: Set<number>;
  private readonly solveCounts = new Map<number, number>();
  /** event id → its first-blood bonus, for the few solves that have one */
  private readonly bonusById = new Map<number, number>();
  private unreleased: ReadonlySet<number> = new Set();
  /** challenges an admin hid (SPEC §8) */
  private adminHidden: ReadonlySet<number> = new Set();
  /** a resume from before this id gets a snapshot (reveal, new freeze, moderation) */
  private resyncId = 0;
  /** true while the constructor replays the store: revokes are already known, no rebuild per revoke */
  private building = true;
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
    this.revoked = revokedSolves(stored.events);
    for (const e of stored.events) this.apply(e);
    this.building = false;
  }

  get currentGame(): CompiledGame {
    return this.game;
  }

  get lastEventId(): number {
    return this.log.lastId;
  }

  /** every known player, on the board or not */
  get playerCount(): number {
    return this.byId.size;
  }

  get boardSize(): number {
    return this.live.size;
  }

  get firstBloodBonus(): readonly number[] {
    return this.bonus;
  }

  /** Swaps in a re-read challenge set and recomputes every score from its values. */
  setGame(game: CompiledGame): void {
    this.game = game;
    this.rebuild();
    this.markResync();
  }

  /** event.yaml's first-blood bonus after a reload: solves from now on get it. */
  setFirstBloodBonus(bonus: readonly number[]): void {
    this.bonus = bonus;
  }

  /** Challenges whose release time has not come: hidden from players, unknown to submit. */
  setUnreleased(ids: ReadonlySet<number>): void {
    if (ids.size === this.unreleased.size && [...ids].every((id) => this.unreleased.has(id))) return;
    this.unreleased = ids;
    this.invalidateChallenges();
  }

  /** Challenges an admin hid; answers whether the set changed. */
  setAdminHidden(ids: ReadonlySet<number>): boolean {
    if (ids.size === this.adminHidden.size && [...ids].every((id) => this.adminHidden.has(id))) return false;
    this.adminHidden = new Set(ids);
    this.invalidateChallenges();
    return true;
  }

  /** Ascending ids of the challenges an admin hid. */
  get hiddenByAdmin(): number[] {
    return [...this.adminHidden].sort((a, b) => a - b);
  }

  isHidden(challengeId: number): boolean {
    return this.unreleased.has(challengeId) || this.adminHidden.has(challengeId);
  }

  /**
   * The freeze in force (null: none, or revealed). A change rebuilds the
   * frozen board from the events before it; returns whether it changed.
   */
  setFreeze(freezeAt: number | null): boolean {
    if (freezeAt === this.freezeAt) return false;
    this.freezeAt = freezeAt;
    this.rebuild();
    this.markResync();
    return true;
  }

  /**
   * A resume from before the newest event must be answered with a snapshot
   * (sockets connected now get one from the caller).
   */
  markResync(): void {
    this.resyncId = this.log.lastId;
  }

  /**
   * Sets a player's moderation flags; answers whether the boards changed
   * (the player joined or left them), in which case every socket needs a snapshot.
   */
  setPlayerFlags(userId: number, flags: PlayerFlags): boolean {
    const p = this.byId.get(userId);
    if (!p) return false;
    const counted = isCounted(p);
    if (flags.banReason !== undefined) p.banReason = flags.banReason;
    if (flags.unranked !== undefined) p.unranked = flags.unranked;
    if (isCounted(p) === counted) return false;
    this.rebuild();
    this.markResync();
    return true;
  }

  addPlayer(u: UserRecord): Player {
    const existing = this.byId.get(u.id);
    if (existing) return existing;
    const p = newPlayer(u.id, u.username, u.displayname);
    p.banReason = u.banReason ?? null;
    p.unranked = u.unranked ?? false;
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

  /** Every known player, in id order. */
  players(): IterableIterator<Player> {
    return this.byId.values();
  }

  /** Came during the freeze in force: hidden from everyone but its player (and admins). */
  private isPrivate(e: EventRecord): boolean {
    return this.freezeAt !== null && e.ts >= this.freezeAt;
  }

  /** The player's own score as they see it: live, without first-blood bonuses hidden by the freeze. */
  ownScore(p: Player): number {
    return p.score - p.hiddenBonus;
  }

  /** A solve's value now: the current game's points (the recorded ones if the challenge is gone). */
  private valueOf(e: EventRecord): number {
    return this.game.byId.get(e.challengeId)?.challenge.points ?? e.points;
  }

  /** A recorded solve's points as its player sees them now. */
  ownPoints(e: EventRecord): number {
    if (e.kind !== 'score') return e.points;
    return this.valueOf(e) + (this.isPrivate(e) ? 0 : (this.bonusById.get(e.id) ?? 0));
  }

  /** The player's own progress; false when the event was already applied. */
  private takeFresh(p: Player, e: EventRecord): boolean {
    if (e.kind === 'score') {
      if (p.solved.has(e.challengeId)) return false;
      p.solved.add(e.challengeId);
    } else if (e.kind === 'hint') {
      let bought = p.hints.get(e.challengeId);
      if (!bought) p.hints.set(e.challengeId, (bought = new Set()));
      if (bought.has(e.hintId as number)) return false;
      bought.add(e.hintId as number);
    }
    return true;
  }

  /** The first-blood rank and bonus of a new solve; only counted players take a rank. */
  private rankOf(e: EventRecord, p: Player): { bonus: number; blood: 1 | 2 | 3 | undefined } {
    if (e.kind !== 'score' || !isCounted(p)) return { bonus: 0, blood: undefined };
    const rank = (this.solveCounts.get(e.challengeId) ?? 0) + 1;
    this.solveCounts.set(e.challengeId, rank);
    if (rank > 3) return { bonus: 0, blood: undefined };
    const bonus = this.bonus[rank - 1] ?? 0;
    if (bonus > 0) this.bonusById.set(e.id, bonus);
    return { bonus, blood: rank as 1 | 2 | 3 };
  }

  /** Folds one score, hint or adjust event into players and boards; null when already applied. */
  private fold(e: EventRecord, p: Player): Folded | null {
    if (!this.takeFresh(p, e)) return null;
    const { bonus, blood } = this.rankOf(e, p);
    const points = e.kind === 'score' ? this.valueOf(e) + bonus : e.points;
    p.score += points;
    p.lastTs = Math.max(p.lastTs, e.ts);
    p.challengesBody = null;
    if (isCounted(p)) {
      const scored: Scored = { kind: e.kind, challengeId: e.challengeId, points, ts: e.ts };
      this.live.apply(scored, p);
      if (!this.isPrivate(e)) this.frozen?.apply(scored, p);
    }
    if (this.isPrivate(e)) p.hiddenBonus += bonus;
    return { points, bonus, blood };
  }

  /** Recomputes every player and board from the kept events (rare admin changes). */
  private rebuild(): void {
    for (const p of this.byId.values()) clearScores(p);
    this.solveCounts.clear();
    this.bonusById.clear();
    this.live.clear();
    this.frozen = this.freezeAt === null ? null : new Board();
    for (const e of this.kept) {
      const p = this.byId.get(e.userId);
      if (p && e.kind !== 'revoke' && !this.revoked.has(e.id)) this.fold(e, p);
    }
  }

  /**
   * Folds one recorded event into the state and returns its live forms,
   * serialized once for every socket, or null when it was already applied
   * (events are idempotent by their unique key).
   */
  apply(e: EventRecord): Applied | null {
    const p = this.byId.get(e.userId);
    if (!p || this.revoked.has(e.id)) return null;
    const newest = this.kept[this.kept.length - 1];
    if ((e.kind === 'adjust' || e.kind === 'revoke') && newest && newest.id >= e.id) return null;
    if (e.kind === 'revoke') return this.applyRevoke(e, p);
    const folded = this.fold(e, p);
    if (!folded) return null;
    this.kept.push(e);
    const event = this.liveForm(e, p, folded);
    const json = JSON.stringify(event);
    // During the freeze the solver's own copy shows no blood and no bonus until
    // the reveal; an unranked or banned player's events reach only them and admins.
    const own = this.isPrivate(e) || !isCounted(p);
    const ownJson = own ? JSON.stringify({ ...event, points: folded.points - (this.isPrivate(e) ? folded.bonus : 0), blood: undefined }) : null;
    this.log.append(event, e.userId, json, ownJson);
    return { event, json, userId: e.userId, ownJson };
  }

  private liveForm(e: EventRecord, p: Player, folded: Folded): LiveEvent | AdjustEvent {
    if (e.kind === 'adjust') {
      return { id: e.id, type: 'adjust', displayname: shownName(p), points: folded.points, reason: e.reason ?? '', ts: e.ts };
    }
    const title = this.game.byId.get(e.challengeId)?.challenge.title ?? `#${e.challengeId}`;
    return {
      id: e.id,
      type: e.kind === 'hint' ? 'hint' : 'score',
      displayname: shownName(p),
      ts: e.ts,
      challenge_id: e.challengeId,
      challenge: title,
      points: folded.points,
      ...(e.hintId !== null ? { hint_id: e.hintId } : {}),
      ...(e.reload ? { reload: 'true' as const } : {}),
      ...(folded.blood !== undefined ? { blood: folded.blood } : {}),
    };
  }

  /** A revoke cancels the player's standing solve of the challenge; everything is recomputed. */
  private applyRevoke(e: EventRecord, p: Player): Applied {
    if (!this.building) {
      for (let i = this.kept.length - 1; i >= 0; i--) {
        const k = this.kept[i] as EventRecord;
        if (k.kind === 'score' && k.userId === e.userId && k.challengeId === e.challengeId && !this.revoked.has(k.id)) {
          this.revoked.add(k.id);
          break;
        }
      }
    }
    this.kept.push(e);
    if (!this.building) this.rebuild();
    const event: RevokeEvent = { id: e.id, type: 'revoke', displayname: shownName(p), challenge_id: e.challengeId, reason: e.reason ?? '', ts: e.ts };
    const json = JSON.stringify(event);
    this.log.append(event, e.userId, json, null);
    this.markResync();
    return { event, json, userId: e.userId, ownJson: null, resync: true };
  }

  /** A display name changed (null: an admin cleared it). */
  setDisplayName(p: Player, name: string | null): void {
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
      if (this.isHidden(c.challenge.id) || !isVisible(c.challenge, p.solved)) continue;
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

  /** The rows of scoreboardBody(view): the same array until that board changes (paged HTTP reads key on it). */
  scoreboardRows(view: BoardView = 'public'): ReturnType<Board['scoreboardRows']> {
    return this.board(view).scoreboardRows();
  }

  /** A player's index (pos − 1) on that board, or null when they have no row yet. */
  boardIndexOf(playerId: number, view: BoardView = 'public'): number | null {
    return this.board(view).indexOf(playerId);
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
    for (const c of this.game.challenges) if (!this.isHidden(c.challenge.id)) titles.set(c.challenge.id, c.challenge.title);
    return this.board('public').ctftime(titles);
  }

  /** Admin reset: forget every event and name up to `afterId`; event ids keep increasing. */
  reset(afterId: number): void {
    for (const p of this.byId.values()) clearProgress(p);
    this.kept = [];
    this.revoked.clear();
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
