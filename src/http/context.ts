import type { AdminDirectory } from '../auth/admins.js';
import type { StoreLocation } from '../backup/run.js';
import type { SessionService } from '../auth/sessions.js';
import type { Announcements } from '../event/announcements.js';
import type { EventClock } from '../event/clock.js';
import type { GameService } from '../game/game-service.js';
import type { BusMessage } from '../live/fanout.js';
import type { ModerationService } from '../moderation/service.js';
import type { Hub } from '../live/hub.js';
import type { StreamTokens } from '../live/stream-tokens.js';
import type { Reloading } from '../reload/game-reloader.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { LimitRules } from '../limits/rules.js';
import type { GameState } from '../state/game-state.js';
import type { Store } from '../storage/store.js';
import type { ErrorReporter } from '../ops/error-reporter.js';
import type { Metrics } from './ops/metrics.js';
import type { TrustProxy } from './proxy-trust.js';
import type { HttpTimeouts } from './timeouts.js';

export interface HttpSettings {
  readonly developerMode: boolean;
  /** -w: the scorestream URL handed to browsers; null derives it from the request */
  readonly websocketUrl: string | null;
  readonly apiToken: string | null;
  /** folder with the built web app (index.html, assets/) */
  readonly webRoot: string;
  /** game title shown in the app */
  readonly title: string;
  readonly trustProxy: TrustProxy;
  /** defaults: DEFAULT_TIMEOUTS */
  readonly timeouts?: HttpTimeouts;
  /** CTFG_FEED_KEY: lets CTFtime read /api/ctftime?key=… without public_scoreboard */
  readonly feedKey: string | null;
}

export interface Banner {
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** Everything the routes need, passed in by the composition root. */
export interface HttpContext {
  readonly settings: HttpSettings;
  readonly service: GameService;
  readonly state: GameState;
  readonly store: Store;
  readonly sessions: SessionService;
  readonly tokens: StreamTokens;
  readonly hub: Hub;
  readonly limiter: RateLimiter;
  readonly limits: LimitRules;
  readonly metrics: Metrics;
  readonly reporter: ErrorReporter;
  /** the admin's reload, and developer mode's re-read on a changed file (both keep the last good game on errors) */
  readonly reloader: Reloading;
  readonly banner: () => Banner | null;
  /** false while starting or stopping */
  readonly isReady: () => boolean;
  readonly clock: EventClock;
  readonly announcements: Announcements;
  /** applies a message here and sends it to the other instances */
  readonly publish: (message: BusMessage) => Promise<void>;
  /** bans, unranking, names, adjustments, revokes, hidden challenges (SPEC §8) */
  readonly moderation: ModerationService;
  /** where this game's store is, for the console's backup download */
  readonly backupLocation: StoreLocation;
  /** who may act as an organizer: CTFG_ADMIN_TOKEN and admins.csv */
  readonly admins: AdminDirectory;
  /** open scorestream sockets on every instance (the admin overview) */
  readonly sockets: () => number;
}
