import type { Logger } from 'pino';
import type { SessionService } from '../auth/sessions.js';
import type { CloseSteps } from '../lifecycle/close-steps.js';
import type { BusMessage, FanOut } from '../live/fanout.js';
import type { Hub } from '../live/hub.js';
import { Sequencer } from '../live/sequencer.js';
import { HIDDEN_SETTING, moderationFollower, type ModerationFollower } from '../moderation/follow.js';
import type { GameState } from '../state/game-state.js';
import type { Store, StoredGame } from '../storage/store.js';

export interface ReplicationDeps {
  readonly state: GameState;
  readonly hub: Hub;
  readonly sessions: SessionService;
  readonly store: Store;
  readonly fanout: FanOut;
  /** what the state was rebuilt from */
  readonly stored: StoredGame;
  /** several instances share the game: poll the store for what the bus may have lost */
  readonly shared: boolean;
  readonly logger: Logger;
  /** the event schedule, pause or reveal changed (or a reset cleared the reveal): re-read it */
  readonly onSettings: () => void;
  /** an announcement was added or deleted: tell this instance's sockets */
  readonly onAnnouncement: (message: Extract<BusMessage, { kind: 'announcement' }>) => void;
  /** an admin reloaded the game folder on some instance: follow it here */
  readonly onReload: (message: Extract<BusMessage, { kind: 'reload' }>) => void;
}

export interface Replication {
  /** applies here first, then tells the other instances */
  publish(message: BusMessage): Promise<void>;
  catchUpNow(): Promise<void>;
}

function sequencerFor(deps: ReplicationDeps, follower: ModerationFollower): Sequencer {
  const { state, hub, sessions, store, stored, shared, logger, onSettings, onAnnouncement, onReload } = deps;
  return new Sequencer(
    {
      applyEvent(event) {
        const live = state.apply(event);
        if (!live) return;
        if (!live.resync) return hub.enqueue(live.event.id, live.json, live.owners ?? live.userId, live.ownJson);
        // A revoke: the event now, then a fresh snapshot that supersedes whatever is still queued.
        hub.broadcast(`[${live.json}]`);
        hub.broadcastSnapshot(state.lastEventId, (role) => state.snapshotBody(Date.now(), role === 'admin' ? 'admin' : 'public'));
      },
      applyReset(mark, ts) {
        state.reset(mark.afterId);
        sessions.forgetAll();
        hub.broadcastReset({ type: 'system', event: 'reset', logout: true, ts });
        // The reset cleared the reveal.
        onSettings();
      },
      applySettings: onSettings,
      applyAnnouncement: onAnnouncement,
      applyReload: onReload,
      applyLogout(sessionHash) {
        sessions.forget(sessionHash);
        hub.closeSession(sessionHash);
      },
      applyName: follower.name,
      applyModeration: follower.flags,
      applyHidden: follower.hidden,
    },
    {
      appliedId: stored.lastId,
      resetCount: stored.reset.count,
      catchUp: (afterId) => store.eventsAfter(afterId),
      pollMs: shared ? 2000 : 0,
      onError: (err) => logger.error({ err }, 'catching up from the store failed'),
    },
  );
}

/**
 * With a shared bus a name or moderation message can be lost; players are few,
 * so every instance re-reads names, bans, unranked flags and hidden challenges now and then.
 */
function startNamePoller({ store, logger }: ReplicationDeps, follower: ModerationFollower): NodeJS.Timeout {
  const poller = setInterval(() => {
    Promise.all([store.syncUsers([]), store.readSetting(HIDDEN_SETTING)]).then(
      ([users, hidden]) => follower.sync(users, hidden),
      (err: unknown) => logger.error({ err }, 'refreshing display names and moderation failed'),
    );
  }, 5000);
  poller.unref();
  return poller;
}

/** Keeps this instance's state in step with the bus and the store. */
export function startReplication(deps: ReplicationDeps, closers: CloseSteps): Replication {
  const follower = moderationFollower(deps.state, deps.hub, deps.sessions);
  const sequencer = sequencerFor(deps, follower);
  deps.hub.setPatchSource(() => deps.state.takeBoardPatches(Date.now()));
  closers.add('sequencer', () => sequencer.close());
  deps.fanout.subscribe((message) => sequencer.receive(message));
  if (deps.shared) {
    const poller = startNamePoller(deps, follower);
    closers.add('name poller', () => clearInterval(poller));
  }
  return {
    // Applied here first, so an answer (a submit's total) already reflects it;
    // the echo from the bus is then ignored by id.
    async publish(message) {
      sequencer.receive(message);
      await deps.fanout.publish(message);
    },
    catchUpNow: () => sequencer.catchUpNow(),
  };
}
