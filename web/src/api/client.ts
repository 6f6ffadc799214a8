/**
 * Typed, same-origin calls to the HTTP API (SPEC §3). Expected outcomes — including error statuses —
 * are returned as values so every view handles them explicitly; nothing here throws.
 */
import type {
  Announcement,
  BoardResponse,
  ChallengeView,
  EventResponse,
  ErrorBody,
  LoginResponse,
  MeResponse,
  ScoreboardResponse,
  SubmitResponse,
} from '../../../src/protocol/api.js';
import { parseRetryAfter } from './retry.js';

export type ApiFailure =
  | { readonly kind: 'http'; readonly status: number; readonly code: string; readonly retryAfter: number | null }
  | { readonly kind: 'network' };

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  /** `body`: the parsed error body when it carries more than a code (a reload's problem list) */
  | { readonly ok: false; readonly failure: ApiFailure; readonly body?: unknown };

/** GET /api/config: public, tells the app about the banner and the page title. */
export interface AppConfig {
  readonly banner: string | null;
  readonly title: string;
}

export type OkResult = { readonly result: 'ok' };

export interface ApiOptions {
  /** a call that needs a session got 401: the session is gone */
  readonly onUnauthorized: () => void;
  readonly fetchFn?: typeof fetch;
  readonly now?: () => number;
}

export interface Api {
  config(): Promise<ApiResult<AppConfig>>;
  me(): Promise<ApiResult<MeResponse>>;
  login(username: string, password: string): Promise<ApiResult<LoginResponse>>;
  logout(): Promise<ApiResult<null>>;
  setName(name: string): Promise<ApiResult<OkResult>>;
  challenges(): Promise<ApiResult<ChallengeView[]>>;
  submit(id: number, flag: string): Promise<ApiResult<SubmitResponse>>;
  hint(id: number, hintId: number): Promise<ApiResult<OkResult>>;
  scoreboard(): Promise<ApiResult<ScoreboardResponse>>;
  /** public: the clock (SPEC §7) */
  event(): Promise<ApiResult<EventResponse>>;
  announcements(): Promise<ApiResult<Announcement[]>>;
  /** a read-only viewer stream for the projector view; public only with public_scoreboard */
  board(): Promise<ApiResult<BoardResponse>>;
}

function errorCode(body: unknown, status: number): string {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const e = (body as ErrorBody).error;
    if (typeof e === 'string' && e !== '') return e;
  }
  return `http_${status}`;
}

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** One same-origin JSON call: `authed` calls report a 401 through `onUnauthorized`. */
export type CallFn = <T>(method: HttpMethod, path: string, body?: unknown, authed?: boolean) => Promise<ApiResult<T>>;

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return null;
  const text = await res.text().catch(() => '');
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null; // e.g. a proxy's HTML error page
  }
}

/** An error body that says more than its code (e.g. a reload's `problems`). */
function hasDetail(data: unknown): boolean {
  return typeof data === 'object' && data !== null && Object.keys(data).some((k) => k !== 'error');
}

/** The fetch wrapper behind every API client (the player app's and the admin console's). */
export function createCall(opts: ApiOptions): CallFn {
  const fetchFn = opts.fetchFn ?? ((input, init) => fetch(input, init));
  const now = opts.now ?? Date.now;

  return async function call<T>(method: HttpMethod, path: string, body?: unknown, authed = true): Promise<ApiResult<T>> {
    let res: Response;
    try {
      res = await fetchFn(path, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      return { ok: false, failure: { kind: 'network' } };
    }
    const data = await readBody(res);
    if (res.ok) {
      if (res.status !== 204 && data === null) {
        return { ok: false, failure: { kind: 'http', status: 502, code: 'bad_response', retryAfter: null } };
      }
      return { ok: true, value: data as T };
    }
    const failure: ApiFailure = {
      kind: 'http',
      status: res.status,
      code: errorCode(data, res.status),
      retryAfter: parseRetryAfter(res.headers.get('Retry-After'), now()),
    };
    if (res.status === 401 && authed) opts.onUnauthorized();
    return { ok: false, failure, ...(hasDetail(data) ? { body: data } : {}) };
  };
}

export function createApi(opts: ApiOptions): Api {
  const call = createCall(opts);

  return {
    config: () => call<AppConfig>('GET', '/api/config', undefined, false),
    me: () => call<MeResponse>('GET', '/api/me', undefined, false),
    login: (username, password) => call<LoginResponse>('POST', '/api/login', { username, password }, false),
    logout: () => call<null>('POST', '/api/logout', undefined, false),
    setName: (name) => call<OkResult>('POST', '/api/set-name', { name }),
    challenges: () => call<ChallengeView[]>('GET', '/api/challenges'),
    submit: (id, flag) => call<SubmitResponse>('POST', '/api/submit', { id, flag }),
    hint: (id, hintId) => call<OkResult>('POST', '/api/hint', { id, hint_id: hintId }),
    scoreboard: () => call<ScoreboardResponse>('GET', '/api/scoreboard'),
    event: () => call<EventResponse>('GET', '/api/event', undefined, false),
    // Not "authed": the projector may run without a session, and a 401 there must not sign anyone out.
    announcements: () => call<Announcement[]>('GET', '/api/announcements', undefined, false),
    board: () => call<BoardResponse>('GET', '/api/board', undefined, false),
  };
}
