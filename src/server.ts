import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import path from 'node:path';
import { AdminDirectory } from './auth/admins.js';
import { SessionService } from './auth/sessions.js';
import { formatProblems, loadGameFolder, type GameFiles } from './config/game-folder.js';
import { displayNameKey, validateDisplayName } from './domain/displayname.js';
import type { GameFileProblem } from './domain/types.js';
import type { NameRekeyReport, Store, StoredGame, UserRecord } from './storage/store.js';
import { GameService } from './game/game-service.js';
import { PACKAGE_VERSION } from './package-info.js';
import { NO_REPORTER, sentryReporter } from './ops/error-reporter.js';
import { startSessionSweeper } from './ops/session-sweeper.js';
import { Metrics } from './http/ops/metrics.js';
import { openBackends } from './backends.js';
import { CloseSteps } from './lifecycle/close-steps.js';
import type { BusMessage } from './live/fanout.js';
import { DEFAULT_HUB_OPTIONS, Hub } from './live/hub.js';
import { StreamTokens } from './live/stream-tokens.js';
import { GameReloader } from './reload/game-reloader.js';
import { startReplication } from './replication/replication.js';
import { serveHttp } from './serving/http-server.js';
import type { Settings } from './settings/settings.js';
import { compileGame, signKeyProblems, type DescriptionKeys } from './state/compiled-game.js';
import { nameSigner } from './signing/name-signature.js';
import { GameState } from './state/game-state.js';
import { Announcements, announcementJson } from './event/announcements.js';
import { loadEventClock, startEventClock } from './event/wiring.js';
import { loadHidden, ModerationService } from './moderation/service.js';
import { startSocketCensus } from './overview/socket-census.js';
import { startSubmissions } from './submissions/wiring.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly app: FastifyInstance;
  stop(): Promise<void>;
}

/** Raised when the game folder is invalid; carries every problem found. */
export class GameLoadError extends Error {
  constructor(readonly problems: readonly GameFileProblem[]) {
    super(formatProblems(problems));
  }
}

/** Start-up report of the display-name key migration (rules in storage/name-rekey.ts). */
function reportNameRekey(logger: Logger, report: NameRekeyReport): void {
  if (report.rekeyed > 0) logger.info({ checked: report.checked, rekeyed: report.rekeyed }, 'display-name keys moved to the look-alike skeleton');
  for (const c of report.collisions) {
    for (const lost of c.cleared) {
      logger.warn(
        { user: lost.username, name: lost.displayname, keptBy: c.kept.username, keptName: c.kept.displayname },
        `display name ${JSON.stringify(lost.displayname)} of ${lost.username} looks like ${JSON.stringify(c.kept.displayname)} of ${c.kept.username}: cleared (audited); the player picks a new one`,
      );
    }
  }
}

/** Names stored before today's rules (invisible characters, look-alike reserved words) stay, but organizers are told. */
function reportRefusedNames(logger: Logger, users: readonly UserRecord[]): void {
  for (const u of users) {
    const check = u.displayname === null ? null : validateDisplayName(u.displayname);
    if (check && !check.ok) logger.warn({ user: u.username, name: u.displayname, rule: check.message }, 'a stored display name breaks the current rules; clear it from the admin console if needed');
  }
}

/** The placeholder keys; a game using @SIGNED_DISPLAYNAME@ without CTFG_SIGN_KEY is refused like any bad game file. */
function descriptionKeys(settings: Settings, challenges: Parameters<typeof signKeyProblems>[0]): DescriptionKeys {
  const keys: DescriptionKeys = { maskKey: settings.maskKey, signName: settings.signKey === null ? null : nameSigner(settings.signKey) };
  const problems = signKeyProblems(challenges, keys.signName !== null, settings.challengesPath ?? path.join(settings.gameDir, 'challenges.json'));
  if (problems.length > 0) throw new GameLoadError(problems);
  return keys;
}

/** Moves old name keys, adds new players, and rebuilds the in-memory game from the store in one pass. */
async function rebuildState(store: Store, files: GameFiles, keys: DescriptionKeys, logger: Logger): Promise<{ state: GameState; stored: StoredGame }> {
  reportNameRekey(logger, await store.rekeyDisplayNames(displayNameKey, Date.now()));
  const users = await store.syncUsers(files.credentials.map((c) => c.username));
  reportRefusedNames(logger, users);
  const stored = await store.load();
  const game = compileGame(files.challenges, files.clusters, keys);
  const state = new GameState(game, users, stored, { firstBloodBonus: files.event.firstBloodBonus, roster: files.credentials });
  logger.info({ players: users.length, events: stored.events.length, challenges: files.challenges.length, lastEventId: stored.lastId }, 'game state rebuilt');
  return { state, stored };
}


/** Who may act as an organizer, and the scorestream tokens, whose admin sockets last only while the organizer does. */
async function streamAccess(
  settings: Settings,
  files: GameFiles,
  store: Store,
  sessions: SessionService,
): Promise<{ admins: AdminDirectory; tokens: StreamTokens }> {
  const admins = new AdminDirectory(settings.adminToken, files.admins);
  const adminAlive = async (idHash: string): Promise<boolean> => {
    const session = await store.getAdminSession(idHash);
    return session !== null && session.expiresAt > Date.now() && admins.sessionStands(session.name);
  };
  const tokens = new StreamTokens(await store.sharedSecret('scorestream'), sessions, settings.streamTokenSeconds * 1000, Date.now, adminAlive);
  return { admins, tokens };
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
      { onBatch: (n) => metrics.batch(n), onDrop: (reason) => metrics.drop(reason) },
    );
    const sessions = new SessionService(store, { recheckMs: shared ? 5000 : Infinity });
    // Players removed from credentials.csv keep no session across a restart.
    await sessions.endSessionsExcept(files.credentials.map((c) => c.username));
    const { admins, tokens } = await streamAccess(settings, files, store, sessions);
    let announcements: Announcements | null = null;
    const event = startEventClock({ store, state, hub, file: files.event, shared, logger, announcements: () => announcements }, closers);
    const { clock } = event;
    const onAnnouncement = (m: Parameters<typeof announcementJson>[0]): void => hub.broadcast(announcementJson(m));
    const credentials = new Map(files.credentials.map((c) => [c.username, c]));
    const { gameDir, challengesPath } = settings;
    const broadcast = (m: BusMessage): Promise<void> => fanout.publish(m);
    const reloader = new GameReloader({ gameDir, challengesPath, keys, state, store, sessions, hub, clock, credentials, admins, broadcast, logger }, files);
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
