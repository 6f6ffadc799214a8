import type { CtftimeFeed } from '../protocol/api.js';
import type { RevokeEvent } from '../protocol/messages.js';
import type { EventRecord, StoredGame, UserRecord } from '../storage/store.js';
import { challengeValue } from '../domain/scoring.js';
import type { Credential } from '../domain/types.js';
import { Board, boardMessage, type Scored, type ValueOf } from './board.js';
import { ChallengeViews } from './challenge-views.js';
import type { CompiledGame } from './compiled-game.js';
import { EventLog, type Viewer } from './event-log.js';
import { FirstBlood, takeFresh } from './first-blood.js';
import { KeptEvents } from './kept-events.js';
import { liveForm, type Folded } from './live-form.js';
import { clearProgress, clearScores, clearUnit, isUnitCounted, shownName, staleChallenges, type Player } from './player.js';
import { Roster } from './roster.js';
import { Visibility } from './visibility.js';
import type { Applied, BoardView, GameStateOptions, PlayerFlags } from './state-types.js';

export type { Applied, BoardView, GameStateOptions, PlayerFlags } from './state-types.js';

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
  private readonly roster = new Roster();
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
  private readonly ranks: FirstBlood;
  private readonly kept: KeptEvents;
  private readonly visibility = new Visibility();
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
    this.ranks = new FirstBlood(options.firstBloodBonus ?? []);
    this.freezeAt = options.freezeAt ?? null;
    if (this.freezeAt !== null) this.frozen = new Board(this.valueOf);
    for (const u of users) this.addPlayer(u);
    this.setRoster(options.roster ?? []);
    const first = stored.events[0];
    this.log = new EventLog(options.resumeCapacity ?? 20_000, first ? first.id - 1 : stored.lastId);
    this.kept = new KeptEvents(stored.events, (userId) => this.roster.byUserId(userId)?.unit.id ?? userId);
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
    return this.roster.size;
  }

  get boardSize(): number {
    return this.live.size;
  }

  get firstBloodBonus(): readonly number[] {
    return this.ranks.bonus;
  }

  /** Swaps in a re-read challenge set and recomputes every score from its values. */
  setGame(game: CompiledGame): void {
    this.game = game;
    this.rebuild();
    this.markResync();
  }

  /** event.yaml's first-blood bonus after a reload: solves from now on get it. */
  setFirstBloodBonus(bonus: readonly number[]): void {
    this.ranks.bonus = bonus;
  }

  /** Challenges whose release time has not come: hidden from players, unknown to submit. */
  setUnreleased(ids: ReadonlySet<number>): void {
    if (this.visibility.setUnreleased(ids)) this.invalidateChallenges();
  }

  /** Challenges an admin hid; answers whether the set changed. */
  setAdminHidden(ids: ReadonlySet<number>): boolean {
    const changed = this.visibility.setAdminHidden(ids);
    if (changed) this.invalidateChallenges();
    return changed;
  }

  /** Ascending ids of the challenges an admin hid. */
  get hiddenByAdmin(): number[] {
    return this.visibility.hiddenByAdmin;
  }

  isHidden(challengeId: number): boolean {
    return this.visibility.isHidden(challengeId);
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
    const p = this.roster.byUserId(userId);
    if (!p) return false;
    // A ban or unranking of a member applies to the whole team (SPEC §9).
    const counted = isUnitCounted(p.unit);
    if (flags.banReason !== undefined) p.banReason = flags.banReason;
    if (flags.unranked !== undefined) p.unranked = flags.unranked;
    if (isUnitCounted(p.unit) === counted) return false;
    this.rebuild();
    this.markResync();
    return true;
  }

  addPlayer = (u: UserRecord): Player => this.roster.add(u);
  playerById = (id: number): Player | undefined => this.roster.byUserId(id);
  playerByUsername = (username: string): Player | undefined => this.roster.byLogin(username);

  /** Every known player, in id order. */
  players(): IterableIterator<Player> {
    return this.roster.all();
  }

  /** Came during the freeze in force: hidden from everyone but its player (and admins). */
  private isPrivate(e: EventRecord): boolean {
    return this.freezeAt !== null && e.ts >= this.freezeAt;
  }

  /** The live score (admins) of the player's unit (their team in team mode): every bonus, live values. */
  liveScore(p: Player): number {
    return p.unit.flat + this.live.valueOfAll(p.unit.solved);
  }

  /** The player's own score as they see it: values as on their board (frozen ones during a freeze), without bonuses hidden by the freeze. */
  ownScore(p: Player): number {
    return p.unit.flat - p.unit.hiddenBonus + this.board('public').valueOfAll(p.unit.solved);
  }

  /**
   * What the store must add to the sum of the player's recorded points to get
   * their live score: solve values move after they are recorded (dynamic
   * scoring, a reload). It depends on solves only, so a hint purchase checks
   * `recorded + credit ≥ cost` atomically in the store.
   */
  hintCredit(p: Player): number {
    return this.liveScore(p) - p.unit.recorded;
  }

  /** A recorded solve's points as its player sees them now. */
  ownPoints(e: EventRecord): number {
    if (e.kind !== 'score') return e.points;
    return this.board('public').value(e.challengeId) + (this.isPrivate(e) ? 0 : this.ranks.bonusOf(e.id));
  }

  /** Folds one score, hint or adjust event into players and boards; null when already applied. */
  private fold(e: EventRecord, p: Player): Folded | null {
    const u = p.unit;
    if (!takeFresh(u, e)) return null;
    const { bonus, blood } = this.ranks.rank(e, isUnitCounted(u));
    const hidden = this.isPrivate(e);
    const flat = e.kind === 'score' ? bonus : e.points;
    if (e.kind === 'score' && !this.game.byId.has(e.challengeId) && !this.goneValue.has(e.challengeId)) this.goneValue.set(e.challengeId, e.points);
    u.flat += flat;
    u.recorded += e.points;
    p.lastTs = Math.max(p.lastTs, e.ts);
    for (const m of u.members) staleChallenges(m);
    if (isUnitCounted(u)) {
      const scored: Scored = { id: e.id, kind: e.kind, challengeId: e.challengeId, flat, ts: e.ts };
      this.live.apply(scored, u);
      if (!hidden) this.frozen?.apply(scored, u);
      // The players' board moved: the challenge's value, solve count and first solvers.
      if (e.kind === 'score' && !hidden) this.views.touch(e.challengeId);
    }
    if (hidden) u.hiddenBonus += bonus;
    const points = e.kind === 'score' ? this.live.value(e.challengeId) + bonus : e.points;
    return { points, bonus, blood };
  }

  /** Recomputes every player and board from the kept events (rare admin changes). */
  private rebuild(): void {
    for (const p of this.roster.all()) clearScores(p);
    for (const p of this.roster.all()) clearUnit(p.unit);
    this.ranks.clear();
    this.live.clear();
    this.frozen = this.freezeAt === null ? null : new Board(this.valueOf);
    for (const e of this.kept.standing()) {
      const p = this.roster.byUserId(e.userId);
      if (p) this.fold(e, p);
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
    const p = this.roster.byUserId(e.userId);
    if (!p || this.kept.isRevoked(e.id)) return null;
    const newest = this.kept.newest;
    if ((e.kind === 'adjust' || e.kind === 'revoke') && newest && newest.id >= e.id) return null;
    if (e.kind === 'revoke') return this.applyRevoke(e, p);
    const folded = this.fold(e, p);
    if (!folded) return null;
    this.kept.push(e);
    const title = this.game.byId.get(e.challengeId)?.challenge.title ?? `#${e.challengeId}`;
    const event = liveForm(e, shownName(p), title, folded, p.division, p.team);
    const json = JSON.stringify(event);
    // During the freeze the solver's own copy shows no blood and no bonus until
    // the reveal (and frozen values); an unranked or banned player's events reach only them and admins.
    const own = this.isPrivate(e) || !isUnitCounted(p.unit);
    const ownJson = own ? JSON.stringify({ ...event, points: this.ownPoints(e), blood: this.isPrivate(e) ? undefined : folded.blood }) : null;
    const owners = p.unit.members.map((m) => m.id);
    this.log.append(event, owners, json, ownJson);
    return { event, json, userId: e.userId, owners, ownJson };
  }

  /** A revoke cancels the player's standing solve of the challenge; everything is recomputed. */
  private applyRevoke(e: EventRecord, p: Player): Applied {
    // While building, the revokes were already read from the stored events.
    if (!this.building) this.kept.revoke(e);
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
    this.live.rename(p.unit);
    this.frozen?.rename(p.unit);
    // A first solver's name is shown on every player's challenge page.
    this.views.touch();
  }

  isNameTaken(key: string, except: Player): boolean {
    return this.roster.isNameTaken(key, except, this.game.nameKey);
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

  /** The rows of scoreboardBody(view, division): the same array until that board changes (paged HTTP reads key on it). */
  scoreboardRows = (view: BoardView = 'public', division: string | null = null): ReturnType<Board['scoreboardRows']> => this.board(view).scoreboardRows(division);

  /** A player's index (pos − 1) on that board (or division), or null when they have no row there. */
  boardIndexOf(playerId: number, view: BoardView = 'public', division: string | null = null): number | null {
    // Rows are per unit: in team mode the player's team's row (SPEC §9).
    const unit = this.roster.byUserId(playerId)?.unit.id ?? playerId;
    return this.board(view).indexOf(unit, division);
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
    const admin = boardMessage(this.live.takePatch(), this.log.lastId, now);
    return { public: this.frozen ? boardMessage(this.frozen.takePatch(), this.log.lastId, now) : admin, admin };
  }

  /** The rows repriced after event `since`, as one `board` message for a resume (SPEC §4); null when none. */
  resumeBoardJson(since: number, now: number, viewer: Viewer): string | null {
    const rows = this.board(viewer.admin ? 'admin' : 'public').repricedAfter(since);
    return boardMessage(rows.length > 0 ? rows : null, this.log.lastId, now);
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

  /** Team mode (SPEC §9): some player has a team. */
  get teamMode(): boolean {
    return this.roster.teamMode;
  }

  /**
   * Takes each player's team and division from credentials.csv and regroups
   * the units; outside the constructor every score is then folded anew.
   */
  setRoster(credentials: readonly Credential[]): void {
    this.roster.assign(credentials);
    if (this.building) return;
    this.rebuild();
    this.markResync();
  }

  /** Which member holds the unit's standing solve of a challenge (an admin revoke names any member of a team). */
  solverOf = (p: Player, challengeId: number): Player | null => this.roster.byUserId(this.kept.standingSolve(p.unit.id, challengeId)?.userId ?? NaN) ?? null;

  /** Admin reset: forget every event and name up to `afterId`; event ids keep increasing. */
  reset(afterId: number): void {
    for (const p of this.roster.all()) clearProgress(p);
    this.kept.clear();
    this.ranks.clear();
    this.goneValue.clear();
    this.live.clear();
    this.frozen?.clear();
    this.views.touch();
    this.log.clear(afterId);
  }

  private invalidateChallenges(): void {
    for (const p of this.roster.all()) staleChallenges(p);
  }
}
