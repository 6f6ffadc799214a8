import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { SessionService } from './auth/sessions.js';
import { loadGameFolder } from './config/game-folder.js';
import { GameService } from './game/game-service.js';
import { PACKAGE_VERSION } from './package-info.js';
import { NO_REPORTER, sentryReporter } from './ops/error-reporter.js';
import { startSessionSweeper } from './ops/session-sweeper.js';
import { Metrics } from './http/ops/metrics.js';
import { openBackends } from './backends.js';
import { CloseSteps } from './lifecycle/close-steps.js';
import type { BusMessage } from './live/fanout.js';
import { DEFAULT_HUB_OPTIONS, Hub } from './live/hub.js';
import { GameReloader } from './reload/game-reloader.js';
import { startReplication } from './replication/replication.js';
import { serveHttp } from './serving/http-server.js';
import type { Settings } from './settings/settings.js';
import { descriptionKeys, GameLoadError, rebuildState, streamAccess } from './startup/game-start.js';
import { Announcements, announcementJson } from './event/announcements.js';
import { loadEventClock, startEventClock } from './event/wiring.js';
import { loadHidden, ModerationService } from './moderation/service.js';
import { startSocketCensus } from './overview/socket-census.js';
import { startSubmissions } from './submissions/wiring.js';

export { GameLoadError };

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

/**
 * Composition root of one ctfg instance: load, open, rebuild, wire, listen.
 * Everything opened is registered in `closers`, so a failed start closes it
 * again and stop closes it in reverse order.
 */
export async function startServer(settings: Settings, logger: Logger): Promise<RunningServer> {
  const loaded = await loadGameFolder({ gameDir: settings.gameDir, challengesPath: settings.challengesPath ?? undefined });
  if (!loaded.ok) throw new GameLoadError(loaded.problems);
  const files = loaded.value;
  const keys = descriptionKeys(settings, files.challenges);
  const closers = new CloseSteps(logger);
  const reporter = settings.sentryDsn ? await sentryReporter(settings.sentryDsn, PACKAGE_VERSION) : NO_REPORTER;
  closers.add('error reporter', () => reporter.flush());
  const { app, url, port } = await closers.guard(async () => {
    const { store, fanout, limiter, shared } = await openBackends(settings, closers, logger);
    const { state, stored } = await rebuildState(store, files, keys, logger);
    const metrics = new Metrics(() => hub.size, () => hub.count('viewer'));
    const hub = new Hub(
      { ...DEFAULT_HUB_OPTIONS, keepaliveSeconds: settings.keepaliveSeconds, pingTimeoutSeconds: settings.pingTimeoutSeconds },
      { onBatch: (n, _sockets, ms) => metrics.batch(n, ms), onDrop: (reason) => metrics.drop(reason) },
    );
    const sessions = new SessionService(store, { recheckMs: shared ? 5000 : Infinity });
    // Players removed from credentials.csv keep no session across a restart.
    await sessions.endSessionsExcept(files.credentials.map((c) => c.username));
    const { admins, tokens, adminAlive } = await streamAccess(settings, files, store, sessions);
    let announcements: Announcements | null = null;
    const event = startEventClock({ store, state, hub, file: files.event, shared, logger, announcements: () => announcements }, closers);
    const { clock } = event;
    const onAnnouncement = (m: Parameters<typeof announcementJson>[0]): void => hub.broadcast(announcementJson(m));
    const credentials = new Map(files.credentials.map((c) => [c.username, c]));
    const { gameDir, challengesPath } = settings;
    const broadcast = (m: BusMessage): Promise<void> => fanout.publish(m);
    const reloader = new GameReloader({ gameDir, challengesPath, keys, state, store, sessions, hub, clock, credentials, admins, adminAlive, broadcast, logger }, files);
    const onReload = (m: Parameters<typeof reloader.follow>[0]): void => reloader.follow(m);
    const replication = startReplication({ state, hub, sessions, store, fanout, stored, shared, logger, onSettings: event.refresh, onAnnouncement, onReload }, closers);
    const { publish } = replication;
    announcements = new Announcements(store, publish);
    const { limits } = settings;
    const onSolve = (): void => metrics.solve();
    const catchUp = shared ? replication.catchUpNow : undefined;
    const clockState = () => clock.state();
    // Registered before the HTTP server: on stop, requests end first, then the log is flushed, then the store closes.
    const submissions = startSubmissions({ store, fanout, hub, logger }, closers);
    const sockets = startSocketCensus({ fanout, local: () => hub.size, shared, logger }, closers);
    const onJudged = submissions.record;
    const service = new GameService({ state, store, publish, sessions, limiter, limits, credentials, onSolve, catchUp, clockState, onJudged });
    await loadEventClock(clock, logger);
    await loadHidden(store, state);
    const moderation = new ModerationService({ state, store, publish });
    closers.add('session sweeper', startSessionSweeper(store, logger));
    closers.add('reload poller', await reloader.start(shared ? 5000 : null));
    if (settings.developerMode) await reloader.watch();
    const deps = { service, state, store, sessions, tokens, hub, limiter, limits, metrics, reporter, reloader, clock, announcements, publish, moderation, sockets, admins };
    return serveHttp(settings, files.bannerPath, { ...deps, backupLocation: { dbDir: settings.dbDir ?? settings.gameDir, database: settings.database } }, closers, logger);
  });
  const stop = async (): Promise<void> => {
    const failed = await closers.closeAll();
    if (failed === 0) logger.info('stopped; database checkpointed and closed');
    else logger.error({ failed }, 'stopped; some parts failed to close');
  };
  return { url, port, app, stop };
}
