/**
 * The console's calls to the admin API (SPEC §8). Same fetch wrapper as the player app; every
 * outcome is a value. The admin cookie travels by itself; the token is only ever sent to log in
 * (and to the reset, which asks for it again) and is never kept.
 */
import type {
  AdjustRequest,
  AdminChallengesResponse,
  AdminOverview,
  AdminPlayersResponse,
  AdminSubmissionsResponse,
  BanRequest,
  ReloadResponse,
} from '../../../src/protocol/console.js';
import type { AdminEventRequest, Announcement, AuditResponse, BoardResponse, EventResponse } from '../../../src/protocol/api.js';
import { createCall, type ApiOptions, type ApiResult } from '../api/client.js';

export interface SubmissionQuery {
  readonly username?: string;
  readonly challengeId?: number;
  readonly result?: 'correct' | 'incorrect';
  readonly beforeId?: number;
  readonly limit?: number;
}

export interface AdminApi {
  login(token: string, name: string): Promise<ApiResult<null>>;
  logout(): Promise<ApiResult<null>>;
  /** also the "am I signed in?" probe: 401 without an admin session */
  streamUrl(): Promise<ApiResult<BoardResponse>>;
  overview(): Promise<ApiResult<AdminOverview>>;
  event(): Promise<ApiResult<EventResponse>>;
  changeEvent(body: AdminEventRequest): Promise<ApiResult<EventResponse>>;
  reveal(): Promise<ApiResult<EventResponse>>;
  players(query: string, limit: number, offset: number): Promise<ApiResult<AdminPlayersResponse>>;
  ban(body: BanRequest): Promise<ApiResult<unknown>>;
  unban(username: string): Promise<ApiResult<unknown>>;
  clearName(username: string): Promise<ApiResult<unknown>>;
  unranked(username: string, unranked: boolean): Promise<ApiResult<unknown>>;
  adjust(body: AdjustRequest): Promise<ApiResult<unknown>>;
  /** as the judge's award, in any clock state */
  award(username: string, id: number, reason: string): Promise<ApiResult<unknown>>;
  revoke(username: string, id: number, reason: string): Promise<ApiResult<unknown>>;
  submissions(q: SubmissionQuery): Promise<ApiResult<AdminSubmissionsResponse>>;
  challenges(): Promise<ApiResult<AdminChallengesResponse>>;
  visibility(id: number, hidden: boolean): Promise<ApiResult<unknown>>;
  reload(): Promise<ApiResult<ReloadResponse>>;
  announcements(): Promise<ApiResult<Announcement[]>>;
  announce(text: string): Promise<ApiResult<Announcement>>;
  deleteAnnouncement(id: number): Promise<ApiResult<null>>;
  audit(limit: number, beforeId: number | null): Promise<ApiResult<AuditResponse>>;
  reset(token: string): Promise<ApiResult<null>>;
}

/** Query string of the defined, non-empty parameters only. */
export function queryString(params: Readonly<Record<string, string | number | undefined | null>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/**
 * POST /admin/reset answers an HTML page on success (it also serves the plain form), so only the
 * status counts here; errors come back as JSON because the request is JSON.
 */
async function resetGame(fetchFn: typeof fetch, token: string): Promise<ApiResult<null>> {
  // An HTML success becomes an empty 204 so the shared wrapper accepts it.
  const htmlOk: typeof fetch = async (input, init) => {
    const res = await fetchFn(input, init);
    return res.ok ? new Response(null, { status: 204 }) : res;
  };
  const call = createCall({ onUnauthorized: () => undefined, fetchFn: htmlOk });
  return call<null>('POST', '/admin/reset?confirm=yes', { token }, false);
}

export function createAdminApi(opts: ApiOptions): AdminApi {
  const call = createCall(opts);
  return {
    login: (token, name) => call<null>('POST', '/api/admin/login', { token, name }, false),
    logout: () => call<null>('POST', '/api/admin/logout', undefined, false),
    streamUrl: () => call<BoardResponse>('GET', '/api/admin/stream-url', undefined, false),
    overview: () => call<AdminOverview>('GET', '/api/admin/overview'),
    event: () => call<EventResponse>('GET', '/api/event', undefined, false),
    changeEvent: (body) => call<EventResponse>('POST', '/api/admin/event', body),
    reveal: () => call<EventResponse>('POST', '/api/admin/event/reveal', {}),
    players: (query, limit, offset) => call<AdminPlayersResponse>('GET', `/api/admin/players${queryString({ query, limit, offset })}`),
    ban: (body) => call('POST', '/api/admin/players/ban', body),
    unban: (username) => call('POST', '/api/admin/players/unban', { username }),
    clearName: (username) => call('POST', '/api/admin/players/clear-name', { username }),
    unranked: (username, unranked) => call('POST', '/api/admin/players/unranked', { username, unranked }),
    adjust: (body) => call('POST', '/api/admin/adjust', body),
    award: (username, id, reason) => call('POST', '/api/admin/award', { username, id, reason }),
    revoke: (username, id, reason) => call('POST', '/api/admin/solves/revoke', { username, id, reason }),
    submissions: (q) =>
      call<AdminSubmissionsResponse>(
        'GET',
        `/api/admin/submissions${queryString({ username: q.username, challenge_id: q.challengeId, result: q.result, before_id: q.beforeId, limit: q.limit })}`,
      ),
    challenges: () => call<AdminChallengesResponse>('GET', '/api/admin/challenges'),
    visibility: (id, hidden) => call('POST', '/api/admin/challenges/visibility', { id, hidden }),
    reload: () => call<ReloadResponse>('POST', '/api/admin/reload', {}),
    announcements: () => call<Announcement[]>('GET', '/api/announcements', undefined, false),
    announce: (text) => call<Announcement>('POST', '/api/admin/announcements', { text }),
    deleteAnnouncement: (id) => call<null>('DELETE', `/api/admin/announcements/${id}`),
    audit: (limit, beforeId) => call<AuditResponse>('GET', `/api/admin/audit${queryString({ limit, before_id: beforeId })}`),
    reset: (token) => resetGame(opts.fetchFn ?? ((i, init) => fetch(i, init)), token),
  };
}
