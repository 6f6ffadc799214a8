import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { SessionService } from './auth/sessions.js';
import { parseChallenges } from './config/challenges.js';
import { formatProblems, loadGameFolder, type GameFiles } from './config/game-folder.js';
import { DEFAULT_MASK_KEY } from './domain/obfuscate.js';
import type { GameFileProblem } from './domain/types.js';
import { GameService } from './game/game-service.js';
import { PACKAGE_ROOT, PACKAGE_VERSION } from './package-info.js';
import { NO_REPORTER, sentryReporter } from './ops/error-reporter.js';
import { buildHttpApp } from './http/app.js';
import type { Banner, HttpContext } from './http/context.js';
import { Metrics } from './http/ops/metrics.js';
import { limitsFromEnv } from './limits/rules.js';
import { openBackends } from './backends.js';
import type { BusMessage } from './live/fanout.js';
import { DEFAULT_HUB_OPTIONS, Hub } from './live/hub.js';
import { Scorestream } from './live/scorestream.js';
import { Sequencer } from './live/sequencer.js';
import { StreamTokens } from './live/stream-tokens.js';
import { compileGame } from './state/compiled-game.js';
import { GameState } from './state/game-state.js';
import { Announcements, announcementJson } from './event/announcements.js';
import { EventClock } from './event/clock.js';

export interface ServerOptions {
  readonly port: number;
  readonly host: string;
  readonly gameDir: string;
  /** challenges.json path; default <gameDir>/challenges.json */
  readonly challengesPath?: string;
  /** default: the game folder */
  readonly dbDir?: string;
  readonly developerMode: boolean;
  readonly websocketUrl: string | null;
  readonly keepaliveSeconds: number;
  readonly pingTimeoutSeconds: number;
  /** process environment; the game folder's .env fills in what it lacks */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** built web app; default web/dist next to the package */
  readonly webRoot?: string;
  /** postgres://… selects the shared PostgreSQL store; default: SQLite in dbDir */
  readonly databaseUrl?: string | null;
  /** redis://… carries live events between instances and holds shared rate limits */
  readonly redisUrl?: string | null;
}

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

function readBanner(bannerPath: string | null): Banner | null {
  if (!bannerPath) return null;
  const ext = path.extname(bannerPath).toLowerCase();
  return {
    path: `/game/banner${ext}`,
    contentType: ext === '.png' ? 'image/png' : 'image/jpeg',
    body: fs.readFileSync(bannerPath),
  };
}

/** Composition root of one ctfg instance: load, rebuild state, wire, listen. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const loaded = await loadGameFolder({ gameDir: options.gameDir, challengesPath: options.challengesPath });
  if (!loaded.ok) throw new GameLoadError(loaded.problems);
  const files: GameFiles = loaded.value;
  const env = { ...files.env, ...Object.fromEntries(Object.entries(options.env).filter(([, v]) => v !== undefined)) };
  const setting = (name: string): string | null => (env[name] && env[name]?.trim() ? (env[name] as string).trim() : null);
  const limits = limitsFromEnv(env);
  const maskKey = setting('CTFG_MASK_KEY') ?? DEFAULT_MASK_KEY;

  const backends = await openBackends(options, {
    sqliteSync: setting('CTFG_SQLITE_SYNC') === 'full' ? 'full' : 'normal',
    redisPrefix: setting('CTFG_REDIS_PREFIX') ?? 'ctfg',
  });
  const { store, fanout, limiter } = backends;
  const users = await store.syncUsers(files.credentials.map((c) => c.username));
  const stored = await store.load();
  const state = new GameState(compileGame(files.challenges, files.clusters, maskKey), users, stored, {
    firstBloodBonus: files.event.firstBloodBonus,
  });
  logger.info(
    { players: users.length, events: stored.events.length, challenges: files.challenges.length, lastEventId: stored.lastId },
    'game state rebuilt',
  );

  const metrics = new Metrics(() => hub.size, () => hub.count('viewer'));
  const hub = new Hub(
    { ...DEFAULT_HUB_OPTIONS, keepaliveSeconds: options.keepaliveSeconds, pingTimeoutSeconds: options.pingTimeoutSeconds },
    { onBatch: (n) => metrics.batch(n), onDrop: (reason) => metrics.drop(reason) },
  );
  const shared = Boolean(options.redisUrl);
  const sessions = new SessionService(store, { recheckMs: shared ? 5000 : Infinity });
  const tokenSeconds = Number(setting('CTFG_STREAM_TOKEN_TTL') ?? 3600);
  if (!(tokenSeconds > 0)) throw new Error('CTFG_STREAM_TOKEN_TTL must be a positive number of seconds');
  const adminSessionAlive = async (idHash: string): Promise<boolean> => ((await store.getAdminSession(idHash))?.expiresAt ?? 0) > Date.now();
  const tokens = new StreamTokens(await store.sharedSecret('scorestream'), sessions, tokenSeconds * 1000, Date.now, adminSessionAlive);
  let challenges = files.challenges;
  // Assigned below: the clock needs `publish`, which needs the sequencer, which applies to the clock.
  let announcements: Announcements | null = null;
  const clock = new EventClock({
    store,
    state,
    hub,
    file: files.event,
    challenges: () => challenges,
    onRelease: (c) => {
      announcements?.add(`**${c.title}** is now open.`, `release:${c.id}:${c.release}`).catch((err: unknown) => logger.error({ err }, 'release announcement failed'));
    },
    onError: (err) => logger.error({ err }, 'event clock failed'),
  });
  const refreshClock = (): void => {
    clock.refresh().catch((err: unknown) => logger.error({ err }, 're-reading the event schedule failed'));
  };
  const credentials = new Map(files.credentials.map((c) => [c.username, c]));

  const sequencer = new Sequencer(
    {
      applyEvent(event) {
        const live = state.apply(event);
        if (live) hub.enqueue(live.event.id, live.json, live.userId, live.ownJson);
      },
      applyReset(mark, ts) {
        state.reset(mark.afterId);
        sessions.forgetAll();
        hub.broadcastReset({ type: 'system', event: 'reset', logout: true, ts });
        // The reset cleared the reveal.
        refreshClock();
      },
      applySettings: refreshClock,
      applyAnnouncement(message) {
        hub.broadcast(announcementJson(message));
      },
      applyLogout(sessionHash) {
        sessions.forget(sessionHash);
        hub.closeSession(sessionHash);
      },
      applyName(userId, name) {
        const player = state.playerById(userId);
        if (player) state.setDisplayName(player, name);
      },
    },
    {
      appliedId: stored.lastId,
      resetCount: stored.reset.count,
      catchUp: (afterId) => store.eventsAfter(afterId),
      pollMs: shared ? 2000 : 0,
      onError: (err) => logger.error({ err }, 'catching up from the store failed'),
    },
  );
  fanout.subscribe((message) => sequencer.receive(message));
  // Applied here first, so an answer (a submit's total) already reflects it;
  // the echo from the bus is then ignored by id.
  const publish = async (message: BusMessage): Promise<void> => {
    sequencer.receive(message);
    await fanout.publish(message);
  };
  const service = new GameService({
    state,
    store,
    publish,
    sessions,
    limiter,
    limits,
    credentials,
    onSolve: () => metrics.solve(),
    catchUp: shared ? () => sequencer.catchUpNow() : undefined,
    clockState: () => clock.state(),
  });
  announcements = new Announcements(store, publish);
  const overridden = await clock.load();
  if (overridden.length > 0) {
    logger.warn({ fields: overridden, schedule: clock.body() }, `the stored event schedule differs from event.yaml (${overridden.join(', ')}): the stored values win`);
  }

  const challengesPath = options.challengesPath ?? path.join(options.gameDir, 'challenges.json');
  let lastChallengesText = fs.readFileSync(challengesPath, 'utf8');
  const reloadChallenges = (): void => {
    let text: string;
    try {
      text = fs.readFileSync(challengesPath, 'utf8');
    } catch (err) {
      logger.warn({ err: String(err) }, 'cannot re-read challenges.json; keeping the last good set');
      return;
    }
    if (text === lastChallengesText) return;
    lastChallengesText = text;
    const parsed = parseChallenges(text);
    if (!parsed.ok) {
      logger.warn({ problems: parsed.problems }, `challenges.json has errors; keeping the last good set:\n${formatProblems(parsed.problems)}`);
      return;
    }
    state.setGame(compileGame(parsed.value, files.clusters, maskKey));
    challenges = parsed.value;
    refreshClock();
    logger.info({ challenges: parsed.value.length }, 'challenges reloaded');
  };

  const dsn = setting('SENTRY_DSN');
  const reporter = dsn ? await sentryReporter(dsn, PACKAGE_VERSION) : NO_REPORTER;
  let banner = readBanner(files.bannerPath);
  let ready = false;
  const ctx: HttpContext = {
    settings: {
      developerMode: options.developerMode,
      websocketUrl: options.websocketUrl,
      apiToken: setting('CTFG_API_TOKEN'),
      adminToken: setting('CTFG_ADMIN_TOKEN'),
      webRoot: options.webRoot ?? setting('CTFG_WEB_ROOT') ?? path.join(PACKAGE_ROOT, 'web', 'dist'),
      title: files.event.title ?? setting('CTFG_TITLE') ?? 'ctfg',
      feedKey: setting('CTFG_FEED_KEY'),
      trustProxy: setting('CTFG_TRUST_PROXY') === '1' || setting('CTFG_TRUST_PROXY') === 'true',
    },
    service,
    state,
    store,
    sessions,
    tokens,
    hub,
    limiter,
    limits,
    metrics,
    reporter,
    reloadChallenges,
    banner: () => {
      if (options.developerMode) banner = readBanner(files.bannerPath);
      return banner;
    },
    isReady: () => ready,
    clock,
    announcements,
    publish,
  };
  const app = await buildHttpApp(ctx, logger);
  const maxViewers = Number(setting('CTFG_MAX_VIEWERS') ?? 2000);
  const scorestream = new Scorestream({
    state,
    tokens,
    hub,
    onReject: () => metrics.rateLimited('scorestream-auth'),
    clockJson: () => clock.clockJson(),
    maxViewers: Number.isFinite(maxViewers) ? maxViewers : 2000,
  });
  scorestream.attach(app.server);

  // With a shared bus a name-change message can be lost; names are few, so
  // every instance re-reads them now and then.
  const namePoller = shared
    ? setInterval(() => {
        store.syncUsers([]).then(
          (users) => {
            for (const u of users) {
              const p = state.playerById(u.id);
              if (p && u.displayname !== null && p.displayname !== u.displayname) state.setDisplayName(p, u.displayname);
            }
          },
          (err: unknown) => logger.error({ err }, 'refreshing display names failed'),
        );
      }, 5000)
    : null;
  namePoller?.unref();
  // A lost bus message must not leave an instance on an old schedule for long.
  const clockPoller = shared ? setInterval(refreshClock, 2000) : null;
  clockPoller?.unref();

  const sweeper = setInterval(() => {
    store.deleteExpiredSessions(Date.now()).catch((err: unknown) => logger.error({ err }, 'session cleanup failed'));
  }, 60 * 60 * 1000);
  sweeper.unref();

  await app.listen({ port: options.port, host: options.host, backlog: 4096 });
  ready = true;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      ready = false;
      clearInterval(sweeper);
      if (namePoller) clearInterval(namePoller);
      if (clockPoller) clearInterval(clockPoller);
      clock.close();
      sequencer.close();
      scorestream.stopAccepting();
      hub.closeAll();
      scorestream.close();
      // Stops listening and waits for in-flight requests to finish.
      await app.close();
      await fanout.close();
      limiter.close();
      await store.close();
      await reporter.flush();
      logger.info('stopped; database checkpointed and closed');
    })();
    return stopping;
  };
  return { url, port, app, stop };
}
