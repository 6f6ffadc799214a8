import type { BusMessage } from '../live/fanout.js';
import type { AdminPlayer, AdminPlayersResponse } from '../protocol/admin.js';
import type { GameState } from '../state/game-state.js';
import type { Player } from '../state/player.js';
import type { EventRecord, Store } from '../storage/store.js';
import { HIDDEN_SETTING, parseHidden } from './follow.js';

export interface ModerationDeps {
  readonly state: GameState;
  readonly store: Store;
  /** applies a message on this instance at once, then sends it to the others */
  readonly publish: (message: BusMessage) => Promise<void>;
  readonly now?: () => number;
}

export interface PlayerQuery {
  /** case-insensitive part of the username or display name; empty matches everyone */
  readonly query: string;
  readonly limit: number;
  readonly offset: number;
}

/**
 * The admin's moderation use cases (SPEC §8). Each writes the store first
 * (the shared truth), then publishes, so every instance, this one included,
 * applies the change the same way.
 */
export class ModerationService {
  private readonly now: () => number;

  constructor(private readonly deps: ModerationDeps) {
    this.now = deps.now ?? Date.now;
  }

  player(username: string): Player | undefined {
    return this.deps.state.playerByUsername(username);
  }

  /** Players matching the query, ordered by username, with live scores and their last login or event. */
  async players(q: PlayerQuery): Promise<AdminPlayersResponse> {
    const { state, store } = this.deps;
    const seen = new Map((await store.syncUsers([])).map((u) => [u.id, u.lastSeen ?? null]));
    const needle = q.query.trim().toLowerCase();
    const matching = [...state.players()]
      .filter((p) => needle === '' || p.username.toLowerCase().includes(needle) || (p.displayname ?? '').toLowerCase().includes(needle))
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
    const players = matching.slice(q.offset, q.offset + q.limit).map((p): AdminPlayer => {
      const login = seen.get(p.id) ?? null;
      const lastSeen = Math.max(login ?? 0, p.lastTs);
      return {
        username: p.username,
        displayname: p.displayname,
        team: p.team,
        division: p.division,
        score: state.liveScore(p),
        solves: p.unit.solved.size,
        last_seen: lastSeen > 0 ? lastSeen : null,
        banned: p.banReason !== null,
        ban_reason: p.banReason,
        unranked: p.unranked,
      };
    });
    return { total: matching.length, players };
  }

  /** Ban (a reason) or unban (null): a ban ends the player's sessions and sockets on every instance. */
  async setBan(p: Player, reason: string | null): Promise<void> {
    await this.deps.store.setBan(p.id, reason);
    await this.deps.publish({ kind: 'moderation', userId: p.id, banReason: reason });
  }

  async setUnranked(p: Player, unranked: boolean): Promise<void> {
    await this.deps.store.setUnranked(p.id, unranked);
    await this.deps.publish({ kind: 'moderation', userId: p.id, unranked });
  }

  /** Clears the display name and blocks it for everyone, forever; answers the name cleared. */
  async clearName(p: Player): Promise<string | null> {
    const name = p.displayname;
    if (name !== null) await this.deps.store.clearName(p.id, this.deps.state.currentGame.nameKey(name));
    await this.deps.publish({ kind: 'name', userId: p.id, name: null });
    return name;
  }

  async adjust(p: Player, points: number, reason: string): Promise<EventRecord> {
    // In team mode it counts for the team (SPEC §9).
    const event = await this.deps.store.recordAdjust({ userId: p.id, points, reason, ts: this.now(), team: p.team });
    await this.deps.publish({ kind: 'event', event });
    return event;
  }

  /** Cancels the player's solve of the challenge; null when there is none. */
  async revoke(p: Player, challengeId: number, reason: string): Promise<EventRecord | null> {
    // In team mode the team's solve is cancelled, whichever member made it (SPEC §9).
    const solver = this.deps.state.solverOf(p, challengeId) ?? p;
    const event = await this.deps.store.revokeSolve({ userId: solver.id, challengeId, reason, ts: this.now() });
    if (event) await this.deps.publish({ kind: 'event', event });
    return event;
  }

  /** Hides or shows a challenge; answers every hidden id. */
  async setHidden(challengeId: number, hidden: boolean): Promise<number[]> {
    const { store } = this.deps;
    const ids = new Set(parseHidden(await store.readSetting(HIDDEN_SETTING)));
    if (hidden) ids.add(challengeId);
    else ids.delete(challengeId);
    const sorted = [...ids].sort((a, b) => a - b);
    await store.writeSetting(HIDDEN_SETTING, sorted.length > 0 ? JSON.stringify(sorted) : null);
    await this.deps.publish({ kind: 'hidden', ids: sorted });
    return sorted;
  }
}

/** Reads the admin-hidden challenges at start. */
export async function loadHidden(store: Store, state: GameState): Promise<void> {
  state.setAdminHidden(new Set(parseHidden(await store.readSetting(HIDDEN_SETTING))));
}
