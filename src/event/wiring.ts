import type { Logger } from 'pino';
import type { EventConfig } from '../config/event-file.js';
import type { CloseSteps } from '../lifecycle/close-steps.js';
import type { Hub } from '../live/hub.js';
import type { GameState } from '../state/game-state.js';
import type { Store } from '../storage/store.js';
import type { Announcements } from './announcements.js';
import { EventClock } from './clock.js';

export interface EventWiringDeps {
  readonly store: Store;
  readonly state: GameState;
  readonly hub: Hub;
  readonly file: EventConfig;
  /** several instances: re-read the schedule now and then, in case a bus message was lost */
  readonly shared: boolean;
  readonly logger: Logger;
  /** set once the bus exists (the clock is needed to build it) */
  readonly announcements: () => Announcements | null;
}

/** The event clock of this instance, with its re-read callback and its closing. */
export function startEventClock(deps: EventWiringDeps, closers: CloseSteps): { clock: EventClock; refresh: () => void } {
  const { logger } = deps;
  const clock = new EventClock({
    store: deps.store,
    state: deps.state,
    hub: deps.hub,
    file: deps.file,
    challenges: () => deps.state.currentGame.challenges.map((c) => c.challenge),
    onRelease: (c) => {
      deps
        .announcements()
        ?.add(`**${c.title}** is now open.`, `release:${c.id}:${c.release}`)
        .catch((err: unknown) => logger.error({ err }, 'release announcement failed'));
    },
    onError: (err) => logger.error({ err }, 'event clock failed'),
  });
  const refresh = (): void => {
    clock.refresh().catch((err: unknown) => logger.error({ err }, 're-reading the event schedule failed'));
  };
  closers.add('event clock', () => clock.close());
  if (deps.shared) {
    const poller = setInterval(refresh, 2000);
    poller.unref();
    closers.add('event clock poller', () => clearInterval(poller));
  }
  return { clock, refresh };
}

/** Reads the stored schedule; logs when it differs from event.yaml. */
export async function loadEventClock(clock: EventClock, logger: Logger): Promise<void> {
  const overridden = await clock.load();
  if (overridden.length > 0) {
    logger.warn({ fields: overridden, schedule: clock.body() }, `the stored event schedule differs from event.yaml (${overridden.join(', ')}): the stored values win`);
  }
}
