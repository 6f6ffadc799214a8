import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AdminDirectory } from '../auth/admins.js';
import type { SessionService } from '../auth/sessions.js';
import { ADMINS_FILE } from '../config/admins-file.js';
import { CHALLENGES_FILE } from '../config/challenges.js';
import { CLUSTERS_FILE } from '../config/clusters.js';
import { CREDENTIALS_FILE } from '../config/credentials.js';
import { teamChangeProblems } from './team-rules.js';
import { EVENT_FILE } from '../config/event-file.js';
import { formatProblems, loadGameFolder } from '../config/game-folder.js';
import type { Credential, GameFileProblem } from '../domain/types.js';
import type { EventClock } from '../event/clock.js';
import type { BusMessage } from '../live/fanout.js';
import type { Hub } from '../live/hub.js';
import type { ReloadMessage } from '../protocol/messages.js';
import { compileGame, signKeyProblems, type CompiledGame, type DescriptionKeys } from '../state/compiled-game.js';
import type { GameState } from '../state/game-state.js';
import type { Store, UserRecord } from '../storage/store.js';
import { describeChanges, type ReloadedFiles } from './changes.js';

export type ReloadOutcome =
  | { readonly ok: false; readonly problems: readonly GameFileProblem[] }
  | { readonly ok: true; readonly challenges: number; readonly players: number; readonly changes: readonly string[] };

/** What the HTTP layer may ask of the reloader. */
export interface Reloading {
  reload(): Promise<ReloadOutcome>;
  developerReload(): Promise<void>;
}

type ReloadBus = Extract<BusMessage, { kind: 'reload' }>;

/** The store setting naming the last reload (a random id), for instances that lost its bus message. */
export const RELOAD_KEY = 'game_reload';

export interface GameReloaderDeps {
  readonly gameDir: string;
  /** the challenges file given on the command line, else <gameDir>/challenges.json */
  readonly challengesPath: string | null;
  /** the placeholder keys (mask, and the signer when CTFG_SIGN_KEY is set) */
  readonly keys: DescriptionKeys;
  readonly state: GameState;
  readonly store: Store;
  readonly sessions: SessionService;
  readonly hub: Hub;
  readonly clock: EventClock;
  /** the credentials logins are judged against; replaced in place, in one step */
  readonly credentials: Map<string, Credential>;
  /** the organizers of admins.csv; replaced in the same step */
  readonly admins: AdminDirectory;
  /** whether an admin socket's session (or Bearer organizer) still stands */
  readonly adminAlive: (sessionHash: string) => Promise<boolean>;
  /** sends to the other instances only (this one applies by itself) */
  readonly broadcast: (message: BusMessage) => Promise<void>;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Re-reads the game folder into the running game (SPEC §8 reload, and
 * developer mode): checked whole by the `ctfg validate` loader first, so a
 * folder with problems changes nothing; then new players, credentials, the
 * compiled game and event.yaml are swapped in together, removed players'
 * sessions end, and every app refetches. Other instances hear a bus message
 * and re-read their own copy of the folder. Reloads run one at a time.
 */
export class GameReloader implements Reloading {
  private current: ReloadedFiles;
  /** the reload this instance last applied (RELOAD_KEY): its own echo, or a mark already seen, is not re-read */
  private generation: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  /** developer mode: the files' text when last looked at */
  private seen: string | null = null;
  private readonly now: () => number;

  constructor(
    private readonly deps: GameReloaderDeps,
    files: ReloadedFiles,
  ) {
    this.current = files;
    this.now = deps.now ?? Date.now;
  }

  /** The admin's reload: here at once, then on every other instance. */
  reload(): Promise<ReloadOutcome> {
    return this.serially(async () => {
      const loaded = await this.load();
      if (!loaded.ok) return loaded;
      const { next, game } = loaded;
      const changes = describeChanges(this.current, next);
      await this.publishAndInstall(next, game);
      this.deps.logger.info({ changes }, 'game folder reloaded');
      return { ok: true, challenges: next.challenges.length, players: next.credentials.length, changes };
    });
  }

  /** Another instance reloaded: its new players at once (in bus order), then this instance's own re-read. */
  follow(message: ReloadBus): void {
    for (const u of message.users) this.deps.state.addPlayer(u);
    if (message.generation === this.generation) return;
    this.generation = message.generation;
    this.reread();
  }

  /** With several instances: follows a reload whose bus message was lost, from the mark in the store. */
  async poll(): Promise<void> {
    const generation = await this.deps.store.readSetting(RELOAD_KEY);
    if (generation === null || generation === this.generation) return;
    this.generation = generation;
    this.reread();
  }

  /** Takes the store's mark as applied (the folder was just read); with `pollMs`, polls it. Answers the stop step. */
  async start(pollMs: number | null): Promise<() => void> {
    this.generation = await this.deps.store.readSetting(RELOAD_KEY);
    if (pollMs === null) return () => undefined;
    const timer = setInterval(() => {
      this.poll().catch((err: unknown) => this.deps.logger.error({ err }, 'reading the reload mark failed'));
    }, pollMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private reread(): void {
    const { logger } = this.deps;
    this.serially(async () => {
      const loaded = await this.load();
      if (!loaded.ok) {
        // Where only: a problem's message may quote the file, flags included.
        const where = loaded.problems.map((p) => `${p.file}: ${p.where}`);
        logger.error({ where }, 'another instance reloaded the game, but the files here have problems; keeping the old game (run ctfg validate)');
        return;
      }
      const changes = describeChanges(this.current, loaded.next);
      await this.addPlayers(loaded.next);
      await this.install(loaded.next, loaded.game);
      logger.info({ changes }, 'game folder reloaded, following another instance');
    }).catch((err: unknown) => logger.error({ err }, 'following a reload from another instance failed'));
  }

  /** Developer mode: when a game file's text changed, reload; a bad edit keeps the last good game. */
  developerReload(): Promise<void> {
    return this.serially(async () => {
      const text = await this.fingerprint();
      if (text === this.seen) return;
      const first = this.seen === null;
      this.seen = text;
      if (first) return;
      const loaded = await this.load();
      if (!loaded.ok) {
        this.deps.logger.warn({ problems: loaded.problems }, `the game files have errors; keeping the last good set:\n${formatProblems(loaded.problems)}`);
        return;
      }
      await this.publishAndInstall(loaded.next, loaded.game);
      this.deps.logger.info({ challenges: loaded.next.challenges.length }, 'challenges reloaded');
    });
  }

  /** Starts remembering the files' text, so developer mode sees the first edit after start. */
  async watch(): Promise<void> {
    await this.serially(async () => {
      this.seen = await this.fingerprint();
    });
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<{ ok: true; next: ReloadedFiles; game: CompiledGame } | { ok: false; problems: readonly GameFileProblem[] }> {
    const { gameDir, challengesPath, keys } = this.deps;
    const loaded = await loadGameFolder({ gameDir, challengesPath: challengesPath ?? undefined });
    if (!loaded.ok) return loaded;
    const { challenges, credentials, clusters, event, admins } = loaded.value;
    const unsigned = signKeyProblems(challenges, keys.signName !== null, challengesPath ?? join(gameDir, CHALLENGES_FILE));
    if (unsigned.length > 0) return { ok: false, problems: unsigned };
    const teams = teamChangeProblems(this.deps.state, credentials, join(gameDir, CREDENTIALS_FILE));
    if (teams.length > 0) return { ok: false, problems: teams };
    // Compiled before anything changes: nothing is left half-swapped.
    return { ok: true, next: { challenges, credentials, clusters, event, admins }, game: compileGame(challenges, clusters, keys) };
  }

  /** Tells the other instances (a mark in the store, then the bus), then swaps the files in here. */
  private async publishAndInstall(next: ReloadedFiles, game: CompiledGame): Promise<void> {
    const users = await this.addPlayers(next);
    const generation = randomUUID();
    this.generation = generation;
    // The mark lets an instance that lost the bus message follow by polling.
    await this.deps.store.writeSetting(RELOAD_KEY, generation);
    // Sent before the new players can log in here, so their events follow it on the bus.
    await this.deps.broadcast({ kind: 'reload', generation, users });
    await this.install(next, game);
  }

  /** Stores the players new in credentials.csv and adds them to the state; answers the new ones. */
  private async addPlayers(next: ReloadedFiles): Promise<UserRecord[]> {
    const { store, state } = this.deps;
    const all = await store.syncUsers(next.credentials.map((c) => c.username));
    const fresh = all.filter((u) => state.playerByUsername(u.username) === undefined);
    for (const u of fresh) state.addPlayer(u);
    return fresh;
  }

  /** Swaps the new files in, in one step, then ends removed players' sessions and tells every app. */
  private async install(next: ReloadedFiles, game: CompiledGame): Promise<void> {
    const { state, credentials, clock, sessions, hub, admins } = this.deps;
    const removed = new Set<number>();
    const kept = new Set(next.credentials.map((c) => c.username));
    for (const username of credentials.keys()) {
      const id = kept.has(username) ? undefined : state.playerByUsername(username)?.id;
      if (id !== undefined) removed.add(id);
    }
    credentials.clear();
    for (const c of next.credentials) credentials.set(c.username, c);
    admins.replace(next.admins);
    state.setFirstBloodBonus(next.event.firstBloodBonus);
    state.setRoster(next.credentials);
    state.setGame(game);
    clock.setFile(next.event);
    this.current = next;
    if (removed.size > 0) {
      await sessions.endSessionsExcept([...kept]);
      // Another instance may have ended the rows already: forget cached sessions either way.
      sessions.forgetAll();
      for (const id of removed) hub.closeUser(id);
    }
    // Removed or re-keyed organizers lose their open admin sockets now, not at their next reconnect.
    // A store that cannot answer now keeps the socket: its next reconnect is checked again.
    for (const hash of hub.adminSessions()) if (!(await this.deps.adminAlive(hash).catch(() => true))) hub.closeSession(hash);
    this.refetchEverywhere();
  }

  /**
   * Scores may follow new points: every socket gets a fresh board, a resume
   * from before now gets a snapshot, and every app refetches its challenges.
   */
  private refetchEverywhere(): void {
    const { state, hub } = this.deps;
    const now = this.now();
    state.markResync();
    hub.broadcastSnapshot(state.lastEventId, (role) => state.snapshotBody(now, role === 'admin' ? 'admin' : 'public'));
    const message: ReloadMessage = { type: 'system', event: 'reload', ts: now };
    hub.broadcast(JSON.stringify(message));
  }

  /** The text of every game file a reload reads (missing ones as empty). */
  private async fingerprint(): Promise<string> {
    const { gameDir, challengesPath } = this.deps;
    const paths = [challengesPath ?? join(gameDir, CHALLENGES_FILE), ...[CREDENTIALS_FILE, CLUSTERS_FILE, EVENT_FILE, ADMINS_FILE].map((f) => join(gameDir, f))];
    const texts = await Promise.all(paths.map((p) => readFile(p, 'utf8').catch(() => '')));
    return texts.join('\u0000');
  }
}
