import type { ChallengeView, LoginResponse, SubmitResponse } from '../../src/protocol/api.js';
import type { Credential, GameChallenge } from './game-files.js';
import { HttpClient, sleep, StepError } from './http-client.js';
import type { Recorder } from './metrics.js';
import { nextChallenge } from './order.js';
import { ScoreStream } from './scorestream.js';

export interface PlayerOptions {
  readonly baseUrl: URL;
  readonly credential: Credential;
  /** 0-based position in the run; used for a fallback display name */
  readonly index: number;
  readonly challenges: readonly GameChallenge[];
  /** ids in prerequisite order (see solveOrder) */
  readonly order: readonly number[];
  readonly hints: boolean;
  readonly thinkMs: number;
  readonly confirmTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly recorder: Recorder;
  readonly signal: AbortSignal;
}

export interface PlayerResult {
  readonly username: string;
  readonly displayname: string | null;
  readonly ok: boolean;
  /** the first thing that went wrong */
  readonly error?: string;
  readonly solved: number;
  readonly confirmed: number;
  readonly hintsBought: number;
  readonly hintsUnaffordable: number;
}

export interface PlayerRun {
  readonly result: PlayerResult;
  /** left open so the player keeps receiving broadcasts until the whole run ends, as a browser tab would */
  readonly stream: ScoreStream | null;
}

/** script/link references to the app's bundled files, as Vite writes them into index.html */
export function findAssets(html: string, base: URL): string[] {
  const out = new Set<string>();
  for (const tag of html.match(/<(?:script|link)\b[^>]*>/gi) ?? []) {
    for (const m of tag.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)) {
      const url = new URL(m[1] ?? '', base);
      if (url.origin === base.origin && url.pathname.startsWith('/assets/')) out.add(url.pathname);
    }
  }
  return [...out];
}

/** Display-name rules (SPEC §3) the generated name must pass: allowed characters, 2–30 long. */
export function displayNameFor(username: string): string {
  const cleaned = username.replace(/[^\p{L}\p{N} _.,'!?@#()-]/gu, '-').replace(/\s+/g, ' ').trim();
  return `Emu ${cleaned}`.slice(0, 30).trim();
}

const MAX_NAME_ATTEMPTS = 5;

/**
 * One emulated browser, start to finish: load the page and its assets, log in,
 * choose a name, open the scorestream, then work through every visible challenge
 * in prerequisite order (optionally buying its hints first), refetching the list
 * after each solve to see what unlocked. Every own solve must come back on the
 * socket. The script is bounded: one pass over the challenges, a few name tries.
 */
export async function runPlayer(options: PlayerOptions): Promise<PlayerRun> {
  const { recorder, credential, signal } = options;
  const http = new HttpClient({
    baseUrl: options.baseUrl,
    recorder,
    player: credential.username,
    signal,
    timeoutMs: options.requestTimeoutMs,
  });
  const state = { displayname: null as string | null, solved: 0, confirmed: 0, hintsBought: 0, hintsUnaffordable: 0 };
  let stream: ScoreStream | null = null;
  const finish = (error?: string): PlayerRun => ({
    result: { username: credential.username, ...state, ok: error === undefined, ...(error === undefined ? {} : { error }) },
    stream,
  });
  recorder.counters.playersStarted += 1;
  try {
    await loadPage(http, options.baseUrl);
    const login = (await http.request({
      method: 'POST',
      path: '/api/login',
      body: { username: credential.username, password: credential.password },
      expect: [200],
    })).body as LoginResponse;
    recorder.counters.loggedIn += 1;
    state.displayname = login.needs_name || !login.displayname ? await chooseName(http, options) : login.displayname;
    stream = await ScoreStream.connect({
      url: login.websocket_url,
      recorder,
      player: credential.username,
      displayname: state.displayname,
      signal,
      timeoutMs: options.requestTimeoutMs,
    });
    const confirmations = await solveAll(http, stream, options, state);
    const failures = (await Promise.allSettled(confirmations)).flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    for (const f of failures) if (!(f instanceof StepError && f.recorded)) recorder.recordError(credential.username, 'scorestream', f.message);
    if (failures.length > 0) {
      const first = failures[0]?.message ?? 'unknown';
      throw new StepError(failures.length === 1 ? first : `${first} (and ${failures.length - 1} more)`, true);
    }
    recorder.counters.playersDone += 1;
    return finish();
  } catch (err) {
    const recorded = err instanceof StepError && err.recorded;
    const message = err instanceof Error ? err.message : String(err);
    if (!recorded) recorder.recordError(credential.username, 'player', message);
    recorder.counters.playersFailed += 1;
    return finish(message);
  }
}

/** GET / like a browser: the HTML, then its scripts and styles in parallel, the config and the banner. */
async function loadPage(http: HttpClient, base: URL): Promise<void> {
  const page = await http.request({ method: 'GET', path: '/', expect: [200] });
  const assets = findAssets(page.text, base);
  const config = http.request({ method: 'GET', path: '/api/config', expect: [200] });
  await Promise.all(assets.map((path) => http.request({ method: 'GET', path, label: 'GET /assets/*', expect: [200], asset: true })));
  const banner = (await config).body as { banner?: unknown };
  if (typeof banner.banner === 'string' && banner.banner.startsWith('/')) {
    await http.request({ method: 'GET', path: banner.banner, label: 'GET /game/*', expect: [200], asset: true });
  }
}

/** Sets a unique display name; a 409 (taken) retries with a suffix, a 400 (rules) with a neutral name. */
async function chooseName(http: HttpClient, options: PlayerOptions): Promise<string> {
  let base = displayNameFor(options.credential.username);
  let name = base;
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
    const reply = await http.request({ method: 'POST', path: '/api/set-name', body: { name }, expect: [200, 400, 409] });
    if (reply.status === 200) return name;
    if (reply.status === 400) base = `Emu ${options.index + 1}`;
    name = reply.status === 409 ? `${base.slice(0, 26)} ${attempt + 1}` : base;
  }
  throw new StepError(`set-name: no free display name after ${MAX_NAME_ATTEMPTS} attempts (last tried "${name}")`, false);
}

async function fetchChallenges(http: HttpClient): Promise<ChallengeView[]> {
  const reply = await http.request({ method: 'GET', path: '/api/challenges', expect: [200] });
  if (!Array.isArray(reply.body)) throw new StepError('GET /api/challenges: response is not an array', false);
  return reply.body as ChallengeView[];
}

type MutableState = { solved: number; confirmed: number; hintsBought: number; hintsUnaffordable: number };

/** Solves every challenge it can see; returns the pending socket confirmations, one per solve. */
async function solveAll(http: HttpClient, stream: ScoreStream, options: PlayerOptions, state: MutableState): Promise<Promise<void>[]> {
  const { recorder, signal } = options;
  const flags = new Map(options.challenges.map((c) => [c.id, c.testflag]));
  const confirmations: Promise<void>[] = [];
  const solvedByUs = new Set<number>();
  let view = await fetchChallenges(http);
  const solvedBefore = view.filter((c) => c.solved && flags.has(c.id)).map((c) => c.id);
  // At most one submit per challenge: the loop cannot spin whatever the server answers.
  for (let step = 0; step < options.order.length; step += 1) {
    const target = nextChallenge(options.order, view);
    if (!target) break;
    if (solvedByUs.has(target.id)) throw new StepError(`challenge ${target.id} is still unsolved after a correct submit`, false);
    if (options.hints) await buyHints(http, target, options, state);
    await sleep(options.thinkMs, signal);
    const sentAt = recorder.now();
    const reply = await http.request({ method: 'POST', path: '/api/submit', body: { id: target.id, flag: flags.get(target.id) }, expect: [200] });
    const result = (reply.body as SubmitResponse).result;
    if (result !== 'correct') throw new StepError(`challenge ${target.id}: testflag answered "${String(result)}"`, false);
    solvedByUs.add(target.id);
    state.solved += 1;
    recorder.counters.solves += 1;
    confirmations.push(
      stream.expectSolve(target.id, sentAt, options.confirmTimeoutMs).then((ms) => {
        recorder.recordDelivery(ms);
        recorder.counters.confirmed += 1;
        state.confirmed += 1;
      }),
    );
    view = await fetchChallenges(http);
  }
  const missing = options.order.filter((id) => !solvedByUs.has(id));
  if (missing.length > 0) {
    const stale = missing.filter((id) => solvedBefore.includes(id));
    throw new StepError(
      stale.length > 0
        ? `challenges ${stale.join(', ')} were already solved before the run (use a fresh database)`
        : `challenges ${missing.join(', ')} never became solvable`,
      false,
    );
  }
  return confirmations;
}

/** Every not-yet-bought hint in order; 402 means "cannot afford" and the later hints stay locked behind it. */
async function buyHints(http: HttpClient, target: ChallengeView, options: PlayerOptions, state: MutableState): Promise<void> {
  for (const hint of target.hints) {
    if (hint.text !== undefined) continue;
    await sleep(options.thinkMs, options.signal);
    const reply = await http.request({ method: 'POST', path: '/api/hint', body: { id: target.id, hint_id: hint.id }, expect: [200, 402] });
    if (reply.status === 402) {
      state.hintsUnaffordable += 1;
      options.recorder.counters.hintsUnaffordable += 1;
      return;
    }
    state.hintsBought += 1;
    options.recorder.counters.hintsBought += 1;
  }
}
