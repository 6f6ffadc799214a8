import type { SessionService } from '../auth/sessions.js';
import type { BusMessage } from '../live/fanout.js';
import type { Hub } from '../live/hub.js';
import type { ReloadMessage } from '../protocol/messages.js';
import type { GameState } from '../state/game-state.js';
import type { UserRecord } from '../storage/store.js';

/** The shared setting that lists the challenges an admin hid (a JSON array of ids). */
export const HIDDEN_SETTING = 'hidden_challenges';

export function parseHidden(value: string | null): number[] {
  if (value === null) return [];
  try {
    const ids: unknown = JSON.parse(value);
    return Array.isArray(ids) ? ids.filter((id): id is number => Number.isSafeInteger(id)) : [];
  } catch {
    return [];
  }
}

export interface ModerationFollower {
  /** a moderation bus message: flags, and for a ban the player's sockets and cached sessions */
  flags(message: Extract<BusMessage, { kind: 'moderation' }>): void;
  /** the admin-hidden challenges changed: players' apps refetch their lists */
  hidden(ids: readonly number[]): void;
  /** a display name changed (null: cleared by an admin, so every board redraws) */
  name(userId: number, name: string | null): void;
  /** the slow poll with a shared store: whatever a lost bus message did not bring */
  sync(users: readonly UserRecord[], hiddenSetting: string | null): void;
}

/**
 * How one instance follows moderation changes (its own and other instances'):
 * the state is updated, and every socket gets a fresh snapshot when a board
 * changed. These changes are rare, so a snapshot beats incremental updates.
 */
export function moderationFollower(state: GameState, hub: Hub, sessions: SessionService, now: () => number = Date.now): ModerationFollower {
  const resnapshot = (): void => {
    state.markResync();
    hub.broadcastSnapshot(state.lastEventId, (role) => state.snapshotBody(now(), role === 'admin' ? 'admin' : 'public'));
  };
  const flags: ModerationFollower['flags'] = (m) => {
    const changed = state.setPlayerFlags(m.userId, m);
    if (typeof m.banReason === 'string') {
      sessions.forgetUser(m.userId);
      hub.closeUser(m.userId);
    }
    if (changed) resnapshot();
  };
  const hidden: ModerationFollower['hidden'] = (ids) => {
    if (!state.setAdminHidden(new Set(ids))) return;
    const reload: ReloadMessage = { type: 'system', event: 'reload', ts: now() };
    hub.broadcast(JSON.stringify(reload));
  };
  const name: ModerationFollower['name'] = (userId, value) => {
    const p = state.playerById(userId);
    if (!p || p.displayname === value) return;
    state.setDisplayName(p, value);
    if (value === null) resnapshot();
    // A team row lists its members' names: every board shows the new one at once.
    else if (p.team !== null) hub.sendPatch();
  };
  return {
    flags,
    hidden,
    name,
    sync(users, hiddenSetting) {
      for (const u of users) {
        const p = state.playerById(u.id);
        if (!p) continue;
        if (p.displayname !== u.displayname) name(u.id, u.displayname);
        const banReason = u.banReason ?? null;
        const unranked = u.unranked ?? false;
        if (p.banReason !== banReason || p.unranked !== unranked) flags({ kind: 'moderation', userId: u.id, banReason, unranked });
      }
      hidden(parseHidden(hiddenSetting));
    },
  };
}
