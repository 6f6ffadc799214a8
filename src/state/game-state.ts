import type { CtftimeFeed } from '../protocol/api.js';
import type { BoardMessage, RevokeEvent, StandingRow, StreamEvent } from '../protocol/messages.js';
import type { EventRecord, StoredGame, UserRecord } from '../storage/store.js';
import { challengeValue } from '../domain/scoring.js';
import type { Credential } from '../domain/types.js';
import { Board, type Scored, type ValueOf } from './board.js';
import { ChallengeViews } from './challenge-views.js';
import type { CompiledGame } from './compiled-game.js';
import { EventLog, type Viewer } from './event-log.js';
import { liveForm, revokedSolves, type Folded } from './live-form.js';
import { clearProgress, clearScores, isCounted, newPlayer, shownName, staleChallenges, type Player } from './player.js';

export interface GameStateOptions {
  /** how many recent events are kept for resuming clients */
  readonly resumeCapacity?: number;
  /** how many players the score-over-time chart shows */
  readonly topN?: number;
  /** first-blood bonus for the 1st, 2nd, 3rd solver */
  readonly firstBloodBonus?: readonly number[];
  /** the freeze in force (not revealed), ms since the epoch */
  readonly freezeAt?: number | null;
  /** credentials.csv: each player's division (SPEC §9) */
  readonly roster?: readonly Credential[];
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

/** Moderation flags of one player; absent fields stay as they are. */
export interface PlayerFlags {
  readonly banReason?: string | null;
  readonly unranked?: boolean;
}

/**
 * The in-memory picture of the game, rebuilt from the store at start in one
 * pass and then updated incrementally per event. Every hot read (visible
 * challenges, standings, snapshots) is served from here. Two boards: the
 * live one (admins) and, while a freeze is in force, the board as it was at
 * the freeze (everyone else), built from the events before it.
 *
 * A solve is worth its challenge's value in the CURRENT game — under dynamic
 * scoring, after the board's count of counted (neither banned nor unranked)
 * solvers, for every solver alike — plus the first-blood bonus of its rank
 * among counted solvers, so rare admin changes (ban, unranked, revoke, a new
 * game, a new freeze) simply rebuild everything from the kept events.
 */
export class GameState {
  private readonly byId = new Map<number, Player>();
  private readonly byUsername = new Map<string, Player>();
  /** a challenge's value after n counted solves; the recorded points for a challenge no longer in the game */
  private readonly valueOf: ValueOf = (challengeId, solves) => {
    const c = this.game.byId.get(challengeId);
    return c ? challengeValue(c.challenge, solves) : (this.goneValue.get(challengeId) ?? 0);
  };
  private readonly goneValue = new Map<number, number>();
  private readonly live = new Board(this.valueOf);
  private frozen: Board | null = null;
  private readonly views = new ChallengeViews({
    game: () => this.game,
    board: () => this.board('public'),
    isHidden: (id) => this.isHidden(id),
  });
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
    if (this.freezeAt !== null) this.frozen = new Board(this.valueOf);
    for (const u of users) this.addPlayer(u);
    this.setRoster(options.roster ?? []);
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

  /** The sum of the player's solves valued on one board (values move with solve counts, SPEC §9). */
  private solvedValue(p: Player, board: Board): number {
    let sum = 0;
    for (const id of p.solved) sum += board.value(id);
    return sum;
  }

  /** The live score (admins): every bonus, live values. */
  liveScore(p: Player): number {
    return p.flat + this.solvedValue(p, this.live);
  }

  /** The player's own score as they see it: values as on their board (frozen ones during a freeze), without bonuses hidden by the freeze. */
  ownScore(p: Player): number {
    return p.flat - p.hiddenBonus + this.solvedValue(p, this.board('public'));
  }

  /**
   * What the store must add to the sum of the player's recorded points to get
   * their live score: solve values move after they are recorded (dynamic
   * scoring, a reload). It depends on solves only, so a hint purchase checks
   * `recorded + credit ≥ cost` atomically in the store.
   */
  hintCredit(p: Player): number {
    return this.liveScore(p) - p.recorded;
  }

  /** A recorded solve's points as its player sees them now. */
  ownPoints(e: EventRecord): number {
    if (e.kind !== 'score') return e.points;
    return this.board('public').value(e.challengeId) + (this.isPrivate(e) ? 0 : (this.bonusById.get(e.id) ?? 0));
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
    const hidden = this.isPrivate(e);
    const flat = e.kind === 'score' ? bonus : e.points;
    if (e.kind === 'score' && !this.game.byId.has(e.challengeId) && !this.goneValue.has(e.challengeId)) this.goneValue.set(e.challengeId, e.points);
    p.flat += flat;
    p.recorded += e.points;
    p.lastTs = Math.max(p.lastTs, e.ts);
    staleChallenges(p);
    if (isCounted(p)) {
      const scored: Scored = { id: e.id, kind: e.kind, challengeId: e.challengeId, flat, ts: e.ts };
      this.live.apply(scored, p);
      if (!hidden) this.frozen?.apply(scored, p);
      // The players' board moved: the challenge's value, solve count and first solvers.
      if (e.kind === 'score' && !hidden) this.views.touch(e.challengeId);
    }
    if (hidden) p.hiddenBonus += bonus;
    const points = e.kind === 'score' ? this.live.value(e.challengeId) + bonus : e.points;
    return { points, bonus, blood };
  }

  /** Recomputes every player and board from the kept events (rare admin changes). */
  private rebuild(): void {
    for (const p of this.byId.values()) clearScores(p);
    this.solveCounts.clear();
    this.bonusById.clear();
    this.live.clear();
    this.frozen = this.freezeAt === null ? null : new Board(this.valueOf);
    for (const e of this.kept) {
      const p = this.byId.get(e.userId);
      if (p && e.kind !== 'revoke' && !this.revoked.has(e.id)) this.fold(e, p);
    }
    // Every socket gets a snapshot after a rebuild: no patch is owed.
    this.live.takePatch();
    this.frozen?.takePatch();
    this.views.touch();
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
    const title = this.game.byId.get(e.challengeId)?.challenge.title ?? `#${e.challengeId}`;
    const event = liveForm(e, shownName(p), title, folded, p.division);
    const json = JSON.stringify(event);
    // During the freeze the solver's own copy shows no blood and no bonus until
    // the reveal (and frozen values); an unranked or banned player's events reach only them and admins.
    const own = this.isPrivate(e) || !isCounted(p);
    const ownJson = own ? JSON.stringify({ ...event, points: this.ownPoints(e), blood: this.isPrivate(e) ? undefined : folded.blood }) : null;
    this.log.append(event, e.userId, json, ownJson);
    return { event, json, userId: e.userId, ownJson };
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
    staleChallenges(p);
    this.live.rename(p);
    this.frozen?.rename(p);
    // A first solver's name is shown on every player's challenge page.
    this.views.touch();
  }

  isNameTaken(key: string, except: Player): boolean {
    for (const p of this.byId.values()) {
      if (p !== except && p.displayname !== null && this.game.nameKey(p.displayname) === key) return true;
    }
    return false;
  }

  /** The serialized /api/challenges answer for one player. */
  challengesBody(p: Player): Buffer {
    return this.views.body(p);
  }

  private board(view: BoardView): Board {
    return view === 'admin' ? this.live : (this.frozen ?? this.live);
  }

  /** GET /api/scoreboard: the whole board, or one division ranked within itself (SPEC §9). */
  scoreboardBody(view: BoardView = 'public', division: string | null = null): Buffer {
    return this.board(view).scoreboardBody(division);
  }

  /** The first scorestream message: whole board plus top-N series; size depends on players, not events. */
  snapshotBody(now: number, view: BoardView = 'public'): Buffer {
    return this.board(view).snapshotBody(this.log.lastId, now, this.topN);
  }

  /**
   * Rows repriced since the last call (dynamic scoring) as `board` messages:
   * one for players and viewers, one for admins; null where none changed.
   */
  takeBoardPatches(now: number): { readonly public: string | null; readonly admin: string | null } {
    const admin = this.boardMessage(this.live.takePatch(), now);
    return { public: this.frozen ? this.boardMessage(this.frozen.takePatch(), now) : admin, admin };
  }

  /** The rows repriced after event `since`, as one `board` message for a resume (SPEC §4); null when none. */
  resumeBoardJson(since: number, now: number, viewer: Viewer): string | null {
    const rows = this.board(viewer.admin ? 'admin' : 'public').repricedAfter(since);
    return this.boardMessage(rows.length > 0 ? rows : null, now);
  }

  private boardMessage(rows: StandingRow[] | null, now: number): string | null {
    if (rows === null) return null;
    const message: BoardMessage = { type: 'board', last_id: this.log.lastId, ts: now, rows };
    return JSON.stringify(message);
  }

  /** Missed events after `since` as a serialized array, or null when a snapshot is needed. */
  resumeJson(since: number, viewer: Viewer = { admin: false, userId: null }): string | null {
    if (since < this.resyncId) return null;
    // Past about one event per player on the board a snapshot is smaller.
    return this.log.since(since, Math.max(100, this.live.size), viewer);
  }

  /** The live (never frozen) board in order, or one division's rows: the results export. */
  liveRows(division: string | null = null): ReturnType<Board['rowsInOrder']> {
    return this.live.rowsInOrder(division);
  }

  /** The CTFtime feed from the public board (of one division when given): released challenges are the tasks. */
  ctftime(division: string | null = null): CtftimeFeed {
    const titles = new Map<number, string>();
    for (const c of this.game.challenges) if (!this.isHidden(c.challenge.id)) titles.set(c.challenge.id, c.challenge.title);
    return this.board('public').ctftime(titles, division);
  }

  /** The divisions named in credentials.csv, in order of first appearance. */
  get divisions(): string[] {
    const seen = new Set<string>();
    for (const p of this.byId.values()) if (p.division !== null) seen.add(p.division);
    return [...seen];
  }

  /**
   * Takes each player's division from credentials.csv (players not in it keep
   * theirs); call setGame (or build anew) afterwards so the boards follow.
   */
  setRoster(roster: readonly Credential[]): void {
    for (const c of roster) {
      const p = this.byUsername.get(c.username);
      if (p) p.division = c.division ?? null;
    }
  }

  /** Admin reset: forget every event and name up to `afterId`; event ids keep increasing. */
  reset(afterId: number): void {
    for (const p of this.byId.values()) clearProgress(p);
    this.kept = [];
    this.revoked.clear();
    this.solveCounts.clear();
    this.bonusById.clear();
    this.goneValue.clear();
    this.live.clear();
    this.frozen?.clear();
    this.views.touch();
    this.log.clear(afterId);
  }

  private invalidateChallenges(): void {
    for (const p of this.byId.values()) staleChallenges(p);
  }
}
