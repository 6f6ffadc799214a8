import { dummyVerify, typicalPasswordKind, verifyPassword, type PasswordKind } from '../auth/passwords.js';
import type { Session, SessionService } from '../auth/sessions.js';
import { validateDisplayName } from '../domain/displayname.js';
import { isCorrectFlag } from '../domain/flag.js';
import { decideHintPurchase, isVisible } from '../domain/rules.js';
import type { Credential } from '../domain/types.js';
import type { BucketRef, RateLimiter } from '../limits/rate-limiter.js';
import type { LimitRules } from '../limits/rules.js';
import type { BusMessage } from '../live/fanout.js';
import type { GameState } from '../state/game-state.js';
import type { Player } from '../state/player.js';
import type { EventRecord, ResetCounts, Store } from '../storage/store.js';

export type Limited = { readonly kind: 'rate_limited'; readonly retryAfterMs: number };

export type LoginOutcome =
  | { readonly kind: 'ok'; readonly player: Player; readonly cookie: string; readonly session: Session }
  | { readonly kind: 'invalid_credentials' }
  /** the password was right, but an admin banned the player (SPEC §8) */
  | { readonly kind: 'banned'; readonly reason: string }
  | Limited;

export type SetNameOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'name_taken' }
  | Limited;

/** The clock states that refuse play (SPEC §7): submit, hint and award answer 403 with this code. */
export type Closed = { readonly kind: 'closed'; readonly state: 'not_started' | 'paused' | 'ended' };

export type SubmitOutcome =
  | Closed
  | { readonly kind: 'correct'; readonly points: number; readonly total: number }
  | { readonly kind: 'incorrect' }
  | { readonly kind: 'already_solved'; readonly total: number }
  | { readonly kind: 'unknown_id' }
  | { readonly kind: 'locked' }
  | Limited;

export type HintOutcome =
  | Closed
  | { readonly kind: 'ok' }
  | { readonly kind: 'unknown_challenge' | 'unknown_hint' | 'already_purchased' | 'locked' | 'insufficient_points' }
  | Limited;

export type AwardOutcome =
  | Closed
  | { readonly kind: 'ok' }
  | { readonly kind: 'already_solved'; readonly total: number }
  | { readonly kind: 'unknown_id' | 'unknown_user' | 'banned' };

/** A submit whose flag was compared (SPEC §8's submissions log). */
export interface JudgedSubmit {
  readonly player: Player;
  readonly challengeId: number;
  readonly flag: string;
  readonly correct: boolean;
  readonly address: string;
  readonly ts: number;
}

export interface GameServiceDeps {
  readonly state: GameState;
  readonly store: Store;
  /** applies a message on this instance at once, then sends it to the others */
  readonly publish: (message: BusMessage) => Promise<void>;
  readonly sessions: SessionService;
  readonly limiter: RateLimiter;
  readonly limits: LimitRules;
  readonly credentials: ReadonlyMap<string, Credential>;
  readonly now?: () => number;
  readonly onSolve?: () => void;
  /**
   * With several instances: reads what other instances recorded but this one
   * has not heard yet. Called before refusing on state that may be stale (a
   * prerequisite solved a moment ago on another instance).
   */
  readonly catchUp?: () => Promise<void>;
  /** the event clock's state now (SPEC §7); default: always running */
  readonly clockState?: () => 'before' | 'running' | 'paused' | 'ended';
  /** every submit whose flag was compared, answered correct, incorrect or (a lost race) already_solved; must not throw */
  readonly onJudged?: (judged: JudgedSubmit) => void;
}

const CLOSED: Readonly<Record<string, Closed['state']>> = { before: 'not_started', paused: 'paused', ended: 'ended' };

function limited(retryAfterMs: number): Limited | null {
  return retryAfterMs > 0 ? { kind: 'rate_limited', retryAfterMs } : null;
}

/**
 * The game's use cases. Each method validates against the rules, writes
 * through the store (which enforces the same invariants atomically), and
 * publishes what was recorded; expected outcomes are values, not exceptions.
 */
export class GameService {
  private readonly now: () => number;
  /** what an unknown username's fake check imitates, so its timing matches a real one */
  private readonly passwordKind: PasswordKind;

  constructor(private readonly deps: GameServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.passwordKind = typicalPasswordKind([...deps.credentials.values()].map((c) => c.password));
  }

  async login(username: string, password: string, address: string): Promise<LoginOutcome> {
    const { limiter, limits, credentials, state, sessions } = this.deps;
    // Reserved before the (slow) password check and refunded on success, so N
    // parallel guesses judge at most the burst (SPEC §6).
    const buckets: BucketRef[] = [
      { rule: limits.loginUserAddress, key: `login-user-addr:${username}\n${address}` },
      { rule: limits.loginUser, key: `login-user:${username}` },
      { rule: limits.loginAddress, key: `login-addr:${address}` },
    ];
    const blocked = limited(await limiter.reserve(buckets));
    if (blocked) return blocked;
    const credential = credentials.get(username);
    const player = credential ? state.playerByUsername(username) : undefined;
    let ok = false;
    try {
      ok = credential && player ? await verifyPassword(credential.password, password) : await dummyVerify(password, this.passwordKind);
    } finally {
      await (ok ? limiter.refund(buckets) : limiter.release(buckets));
    }
    if (!ok || !player) return { kind: 'invalid_credentials' };
    if (player.banReason !== null) return { kind: 'banned', reason: player.banReason };
    const { cookie, session, dropped } = await sessions.create(player.id);
    // The oldest sessions past the per-player cap end everywhere, sockets included.
    for (const sessionHash of dropped) await this.deps.publish({ kind: 'logout', sessionHash });
    return { kind: 'ok', player, cookie, session };
  }

  async setName(player: Player, raw: string): Promise<SetNameOutcome> {
    const { limiter, limits, state, store } = this.deps;
    const blocked = limited(await limiter.take(limits.setName, `set-name:${player.id}`));
    if (blocked) return blocked;
    const check = validateDisplayName(raw);
    if (!check.ok) return { kind: 'invalid', message: check.message };
    if (player.displayname !== null && state.currentGame.nameKey(player.displayname) === check.key && player.displayname === check.name) {
      return { kind: 'ok' };
    }
    if (state.isNameTaken(check.key, player)) return { kind: 'name_taken' };
    if ((await store.setDisplayName(player.id, check.name, check.key)) === 'taken') return { kind: 'name_taken' };
    await this.deps.publish({ kind: 'name', userId: player.id, name: check.name });
    return { kind: 'ok' };
  }

  /** 403 not_started / paused / ended outside the running state. */
  private closed(): Closed | null {
    const state = CLOSED[this.deps.clockState?.() ?? 'running'];
    return state ? { kind: 'closed', state } : null;
  }

  /** `address`: the client's, for the submissions log. */
  async submit(player: Player, challengeId: number, flag: string, address = ''): Promise<SubmitOutcome> {
    const { limiter, limits, state } = this.deps;
    const compiled = state.currentGame.byId.get(challengeId);
    if (!compiled || state.isHidden(challengeId)) return { kind: 'unknown_id' };
    const closed = this.closed();
    if (closed) return closed;
    if (player.solved.has(challengeId)) return { kind: 'already_solved', total: state.ownScore(player) };
    if (!(await this.freshly(() => isVisible(compiled.challenge, player.solved)))) return { kind: 'locked' };
    // Only wrong flags spend tokens, and while the bucket is empty no answer is
    // given. The judge is linear-time and synchronous, so judging first is cheap;
    // a wrong flag then spends atomically (parallel guesses get at most the
    // burst of answers) and a correct one only checks, so correct flags in
    // parallel are never limited.
    const key = `submit:${player.id}`;
    // A submit refused by the rate limit was not judged, as far as the player and the log are concerned.
    const judged = (correct: boolean): void => this.deps.onJudged?.({ player, challengeId, flag, correct, address, ts: this.now() });
    if (!isCorrectFlag(compiled.flag, flag)) {
      const blocked = limited(await limiter.take(limits.submit, key));
      if (!blocked) judged(false);
      return blocked ?? { kind: 'incorrect' };
    }
    const blocked = limited(await limiter.peek(limits.submit, key));
    if (blocked) return blocked;
    const event = await this.recordSolve(player, challengeId, compiled.challenge.points, false);
    judged(true);
    return event
      ? { kind: 'correct', points: state.ownPoints(event), total: state.ownScore(player) }
      : { kind: 'already_solved', total: state.ownScore(player) };
  }

  async hint(player: Player, challengeId: number, hintId: number): Promise<HintOutcome> {
    const { limiter, limits, state, store } = this.deps;
    const blocked = limited(await limiter.take(limits.hint, `hint:${player.id}`));
    if (blocked) return blocked;
    const compiled = state.currentGame.byId.get(challengeId);
    if (!compiled || state.isHidden(challengeId)) return { kind: 'unknown_challenge' };
    const closed = this.closed();
    if (closed) return closed;
    if (!(await this.freshly(() => isVisible(compiled.challenge, player.solved)))) return { kind: 'locked' };
    const decide = () => decideHintPurchase(compiled.challenge, hintId, player.hints.get(challengeId) ?? new Set<number>(), player.score);
    let decision = decide();
    if (!decision.ok && (decision.error === 'locked' || decision.error === 'insufficient_points') && this.deps.catchUp) {
      await this.deps.catchUp();
      decision = decide();
    }
    if (!decision.ok) return { kind: decision.error };
    const outcome = await store.purchaseHint({
      userId: player.id,
      challengeId,
      hintId,
      cost: decision.cost,
      ts: this.now(),
      previousHintId: decision.previousHintId,
    });
    if (outcome.kind !== 'recorded') return { kind: outcome.kind };
    await this.publish(outcome.event);
    return { kind: 'ok' };
  }

  /**
   * The judge's award: like a correct submit, without checking requirements.
   * An admin's award (`anyClock`) works in every clock state (SPEC §8).
   */
  async award(username: string, challengeId: number, options: { readonly anyClock?: boolean } = {}): Promise<AwardOutcome> {
    const { state } = this.deps;
    const player = state.playerByUsername(username);
    if (!player || !this.deps.credentials.has(username)) return { kind: 'unknown_user' };
    const compiled = state.currentGame.byId.get(challengeId);
    if (!compiled || state.isHidden(challengeId)) return { kind: 'unknown_id' };
    const closed = options.anyClock ? null : this.closed();
    if (closed) return closed;
    if (player.banReason !== null) return { kind: 'banned' };
    if (player.solved.has(challengeId)) return { kind: 'already_solved', total: state.ownScore(player) };
    return (await this.recordSolve(player, challengeId, compiled.challenge.points, true))
      ? { kind: 'ok' }
      : { kind: 'already_solved', total: state.ownScore(player) };
  }

  /** Logout: the session dies in the store, and every instance drops its sockets and cache entry. */
  async logout(session: Session): Promise<void> {
    await this.deps.sessions.destroy(session);
    await this.deps.publish({ kind: 'logout', sessionHash: session.idHash });
  }

  /** Admin reset: the store forgets, then every instance hears about it over the bus. */
  async reset(): Promise<ResetCounts> {
    const { mark, ...counts } = await this.deps.store.reset();
    await this.deps.publish({ kind: 'reset', mark, ts: this.now() });
    await this.deps.limiter.clear();
    return counts;
  }

  /** A check that failed is repeated once after catching up with the other instances. */
  private async freshly(check: () => boolean): Promise<boolean> {
    if (check()) return true;
    if (!this.deps.catchUp) return false;
    await this.deps.catchUp();
    return check();
  }

  private async recordSolve(player: Player, challengeId: number, points: number, reload: boolean): Promise<EventRecord | null> {
    const bonus = this.deps.state.firstBloodBonus;
    const outcome = await this.deps.store.recordSolve({ userId: player.id, challengeId, points, ts: this.now(), reload, bonus });
    if (outcome.kind !== 'recorded') return null;
    await this.publish(outcome.event);
    this.deps.onSolve?.();
    return outcome.event;
  }

  private async publish(event: EventRecord): Promise<void> {
    await this.deps.publish({ kind: 'event', event });
  }
}
