import { setMaxListeners } from 'node:events';
import type { Credential, GameChallenge } from './game-files.js';
import { InputError } from './game-files.js';
import { Recorder, type RecorderSnapshot } from './metrics.js';
import { solveOrder } from './order.js';
import { runPlayer, type PlayerResult } from './player.js';
import type { ScoreStream } from './scorestream.js';

export interface EmulationOptions {
  /** e.g. http://127.0.0.1:8080 */
  readonly serverUrl: string;
  readonly challenges: readonly GameChallenge[];
  readonly credentials: readonly Credential[];
  /** how many players to run; default: every credential */
  readonly players?: number;
  /** start times are spread uniformly over this window; 0 = everyone at once */
  readonly jitterSeconds?: number;
  /** buy every affordable hint of a challenge before solving it */
  readonly hints?: boolean;
  /** pause before each action (hint, submit) */
  readonly thinkMs?: number;
  /** hard stop for the whole run; default: jitter + 300 s */
  readonly durationSeconds?: number;
  /** how long after its submit a solve may take to appear on the player's socket */
  readonly confirmTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** called every `progressIntervalMs` with live counters */
  readonly onProgress?: (progress: Progress) => void;
  readonly progressIntervalMs?: number;
  /** source of start-time jitter; injectable for reproducible tests */
  readonly random?: () => number;
}

export interface Progress {
  readonly elapsedMs: number;
  readonly players: number;
  readonly started: number;
  readonly loggedIn: number;
  readonly done: number;
  readonly failed: number;
  readonly solves: number;
  readonly expectedSolves: number;
  readonly confirmed: number;
  readonly errors: number;
  readonly requests: number;
  readonly requestRate: number;
}

export interface EmulationReport extends RecorderSnapshot {
  readonly tool: 'ctfg-emulator';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly settings: {
    readonly serverUrl: string;
    readonly players: number;
    readonly challenges: number;
    readonly jitterSeconds: number;
    readonly hints: boolean;
    readonly thinkMs: number;
    readonly durationSeconds: number;
    readonly confirmTimeoutMs: number;
  };
  readonly summary: {
    readonly playersOk: number;
    readonly playersFailed: number;
    readonly expectedSolves: number;
    readonly solves: number;
    readonly confirmed: number;
    readonly stoppedByDuration: boolean;
  };
  readonly failures: ReadonlyArray<{ readonly username: string; readonly error: string }>;
}

export interface EmulationResult {
  /** true when every player solved every challenge and saw every own solve on its socket */
  readonly ok: boolean;
  readonly players: readonly PlayerResult[];
  readonly report: EmulationReport;
}

/**
 * Runs one emulation: every player is an independent async script sharing one
 * recorder. The run ends when every player has finished, or at the hard stop,
 * which aborts every request, sleep and wait in flight. Sockets stay open until
 * the end so late finishers still fan out to everyone, as in a real event.
 */
export async function runEmulation(options: EmulationOptions): Promise<EmulationResult> {
  const baseUrl = parseServerUrl(options.serverUrl);
  const players = options.players ?? options.credentials.length;
  if (!Number.isInteger(players) || players < 1) throw new InputError(`players must be a whole number ≥ 1, got ${players}`);
  if (players > options.credentials.length) {
    throw new InputError(`players (${players}) exceeds the ${options.credentials.length} players in credentials.csv`);
  }
  const jitterSeconds = options.jitterSeconds ?? 0;
  const durationSeconds = options.durationSeconds ?? jitterSeconds + 300;
  const confirmTimeoutMs = options.confirmTimeoutMs ?? 10_000;
  const thinkMs = options.thinkMs ?? 0;
  const order = solveOrder(options.challenges);
  const random = options.random ?? Math.random;
  const expectedSolves = players * options.challenges.length;

  const startedAt = new Date();
  const recorder = new Recorder();
  const stop = new AbortController();
  // Every request, sleep and socket of every player listens on this one signal by design.
  setMaxListeners(0, stop.signal);
  const hardStop = setTimeout(() => stop.abort(), durationSeconds * 1000);
  const progress = (): Progress => ({
    elapsedMs: recorder.elapsedMs(),
    players,
    started: recorder.counters.playersStarted,
    loggedIn: recorder.counters.loggedIn,
    done: recorder.counters.playersDone,
    failed: recorder.counters.playersFailed,
    solves: recorder.counters.solves,
    expectedSolves,
    confirmed: recorder.counters.confirmed,
    errors: recorder.errors,
    requests: recorder.requests,
    requestRate: recorder.currentRate(),
  });
  const ticker = options.onProgress
    ? setInterval(() => options.onProgress?.(progress()), options.progressIntervalMs ?? 250)
    : undefined;

  const streams: ScoreStream[] = [];
  const runs = options.credentials.slice(0, players).map(async (credential, index): Promise<PlayerResult> => {
    const delayMs = jitterSeconds > 0 ? random() * jitterSeconds * 1000 : 0;
    if (delayMs > 0) await abortableDelay(delayMs, stop.signal);
    if (stop.signal.aborted) {
      const error = 'stopped by --duration before it started';
      recorder.recordError(credential.username, 'player', error);
      recorder.counters.playersFailed += 1;
      return { username: credential.username, displayname: null, ok: false, error, solved: 0, confirmed: 0, hintsBought: 0, hintsUnaffordable: 0 };
    }
    const run = await runPlayer({
      baseUrl,
      credential,
      index,
      challenges: options.challenges,
      order,
      hints: options.hints ?? false,
      thinkMs,
      confirmTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      recorder,
      signal: stop.signal,
    });
    if (run.stream) streams.push(run.stream);
    return run.result;
  });
  let results: PlayerResult[];
  try {
    results = await Promise.all(runs);
  } finally {
    clearTimeout(hardStop);
    if (ticker) clearInterval(ticker);
    for (const s of streams) s.close();
  }
  options.onProgress?.(progress());

  const snapshot = recorder.snapshot();
  const failed = results.filter((r) => !r.ok);
  const report: EmulationReport = {
    tool: 'ctfg-emulator',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(recorder.elapsedMs()),
    settings: {
      serverUrl: baseUrl.origin,
      players,
      challenges: options.challenges.length,
      jitterSeconds,
      hints: options.hints ?? false,
      thinkMs,
      durationSeconds,
      confirmTimeoutMs,
    },
    summary: {
      playersOk: results.length - failed.length,
      playersFailed: failed.length,
      expectedSolves,
      solves: snapshot.counters.solves,
      confirmed: snapshot.counters.confirmed,
      stoppedByDuration: stop.signal.aborted,
    },
    failures: failed.map((r) => ({ username: r.username, error: r.error ?? 'unknown' })),
    ...snapshot,
  };
  return { ok: failed.length === 0 && snapshot.errors === 0, players: results, report };
}

/** Only http(s) origins: the scorestream URL comes from the server's login answer, not from here. */
export function parseServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`server_url must be a URL such as http://127.0.0.1:8080, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`server_url must start with http:// or https://, got "${raw}"`);
  }
  return new URL(url.origin);
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
