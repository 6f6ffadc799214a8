/**
 * One ctfg game wired in-process over a real SQLite file, without HTTP, for
 * unit tests of the game rules: GameService, GameState, StreamTokens and the
 * sequencer together, as the composition root wires them, on a clock the
 * test sets.
 */
import { AdminDirectory } from '../../src/auth/admins.js';
import { NO_EVENT } from '../../src/config/event-file.js';
import { Announcements } from '../../src/event/announcements.js';
import { EventClock } from '../../src/event/clock.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SessionService } from '../../src/auth/sessions.js';
import { DEFAULT_MASK_KEY } from '../../src/domain/obfuscate.js';
import type { Challenge } from '../../src/domain/types.js';
import { GameService, type GameServiceDeps } from '../../src/game/game-service.js';
import { MemoryRateLimiter } from '../../src/limits/rate-limiter.js';
import { DEFAULT_LIMITS, type LimitRules } from '../../src/limits/rules.js';
import type { BusMessage } from '../../src/live/fanout.js';
import { Sequencer } from '../../src/live/sequencer.js';
import { StreamTokens } from '../../src/live/stream-tokens.js';
import { compileGame } from '../../src/state/compiled-game.js';
import { GameState } from '../../src/state/game-state.js';
import type { Player } from '../../src/state/player.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { buildHttpApp } from '../../src/http/app.js';
import { Metrics } from '../../src/http/ops/metrics.js';
import { DEFAULT_HUB_OPTIONS, Hub } from '../../src/live/hub.js';
import { NO_REPORTER } from '../../src/ops/error-reporter.js';
import type { FastifyInstance } from 'fastify';
import { ModerationService } from '../../src/moderation/service.js';

const challenge = (c: Partial<Challenge> & Pick<Challenge, 'id' | 'points'>): Challenge => ({
  title: `Challenge ${c.id}`,
  category: 'misc',
  difficulty: 'easy',
  description: '',
  flag: `^flag\\{${c.id}\\}$`,
  hints: [],
  requirements: [],
  ...c,
});

/** 1 (100 points, a free hint then a 30-point one), 2 (200, needs 1), 3 (50). */
export const UNIT_CHALLENGES: readonly Challenge[] = [
  challenge({
    id: 1,
    points: 100,
    hints: [
      { id: 1, text: 'free', cost: 0 },
      { id: 2, text: 'priced', cost: 30 },
    ],
  }),
  challenge({ id: 2, points: 200, requirements: [1] }),
  challenge({ id: 3, points: 50, hints: [{ id: 7, text: 'dear', cost: 80 }] }),
];

export const UNIT_PLAYERS = ['alice', 'bob', 'carol'] as const;

export interface InProcessGame {
  readonly dir: string;
  readonly store: SqliteStore;
  readonly state: GameState;
  readonly service: GameService;
  readonly sessions: SessionService;
  readonly tokens: StreamTokens;
  readonly limiter: MemoryRateLimiter;
  /** every message published, in order */
  readonly published: BusMessage[];
  /** the test's clock (ms); move it with `clock.now = …` */
  readonly clock: { now: number };
  player(username: string): Player;
  close(): Promise<void>;
}

export interface InProcessOptions {
  readonly challenges?: readonly Challenge[];
  readonly limits?: Partial<LimitRules>;
  readonly tokenLifetimeMs?: number;
  readonly onJudged?: GameServiceDeps['onJudged'];
}

export async function openInProcessGame(options: InProcessOptions = {}): Promise<InProcessGame> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctfg-unit-'));
  const clock = { now: 1_700_000_000_000 };
  const now = (): number => clock.now;
  const store = new SqliteStore({ dbDir: dir });
  const users = await store.syncUsers([...UNIT_PLAYERS]);
  const stored = await store.load();
  const state = new GameState(compileGame(options.challenges ?? UNIT_CHALLENGES, null, DEFAULT_MASK_KEY), users, stored);
  const sessions = new SessionService(store, { now });
  const tokens = new StreamTokens(await store.sharedSecret('scorestream'), sessions, options.tokenLifetimeMs ?? 60_000, now);
  const limiter = new MemoryRateLimiter(now);
  const sequencer = new Sequencer(
    {
      applyEvent: (event) => void state.apply(event),
      applyReset: (mark) => {
        state.reset(mark.afterId);
        sessions.forgetAll();
      },
      applyLogout: (hash) => sessions.forget(hash),
      applyName: (userId, name) => {
        const p = state.playerById(userId);
        if (p) state.setDisplayName(p, name);
      },
      applyModeration: (m) => void state.setPlayerFlags(m.userId, m),
      applyHidden: (ids) => void state.setAdminHidden(new Set(ids)),
      applySettings: () => undefined,
      applyAnnouncement: () => undefined,
      applyReload: () => undefined,
    },
    { appliedId: stored.lastId, resetCount: stored.reset.count, catchUp: (afterId) => store.eventsAfter(afterId) },
  );
  const published: BusMessage[] = [];
  const credentials = new Map(UNIT_PLAYERS.map((u) => [u, { username: u, password: `${u}-password` }]));
  const publish = async (message: BusMessage): Promise<void> => {
    published.push(message);
    sequencer.receive(message);
  };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const service = new GameService({ state, store, publish, sessions, limiter, limits, credentials, now, onJudged: options.onJudged });
  const player = (username: string): Player => {
    const p = state.playerByUsername(username);
    if (!p) throw new Error(`no player ${username}`);
    return p;
  };
  const close = async (): Promise<void> => {
    sequencer.close();
    limiter.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, store, state, service, sessions, tokens, limiter, published, clock, player, close };
}

/** The HTTP app over an in-process game, for `app.inject` (no listener, no logs). */
export async function inProcessApp(game: InProcessGame): Promise<FastifyInstance> {
  const hub = new Hub(DEFAULT_HUB_OPTIONS);
  const publish = async (): Promise<void> => undefined;
  const clock = new EventClock({
    store: game.store,
    state: game.state,
    hub,
    file: NO_EVENT,
    challenges: () => [],
    onRelease: () => undefined,
    onError: () => undefined,
  });
  await clock.load();
  const app = await buildHttpApp(
    {
      settings: { developerMode: false, websocketUrl: null, apiToken: null, webRoot: game.dir, title: 'unit', trustProxy: false, feedKey: null },
      clock,
      admins: new AdminDirectory(null, []),
      backupLocation: { dbDir: game.dir, database: null },
      announcements: new Announcements(game.store, publish),
      publish,
      moderation: new ModerationService({ state: game.state, store: game.store, publish }),
      service: game.service,
      state: game.state,
      store: game.store,
      sessions: game.sessions,
      tokens: game.tokens,
      hub,
      limiter: game.limiter,
      limits: DEFAULT_LIMITS,
      metrics: new Metrics(() => hub.size),
      reporter: NO_REPORTER,
      reloader: { reload: () => Promise.reject(new Error('no game folder in-process')), developerReload: async () => undefined },
      sockets: () => hub.size,
      banner: () => null,
      isReady: () => true,
    },
    undefined,
  );
  app.addHook('onClose', async () => {
    clock.close();
    hub.closeAll();
  });
  return app;
}
