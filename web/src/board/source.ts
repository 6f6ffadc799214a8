/**
 * Where the projector view gets its stream (SPEC §7): GET /api/board's read-only viewer URL when the
 * server offers one (public_scoreboard, or a session it accepts), else the signed-in player's own
 * stream from GET /api/me, else the board asks for a sign-in.
 */
import type { ApiResult } from '../api/client.js';
import type { BoardResponse, MeResponse } from '../../../src/protocol/api.js';
import type { FreshUrl } from '../live/connection.js';

export type BoardSource =
  | { readonly kind: 'url'; readonly url: string; readonly via: 'viewer' | 'session' }
  | { readonly kind: 'signin' }
  | { readonly kind: 'error' };

export interface BoardSourceApi {
  board(): Promise<ApiResult<BoardResponse>>;
  me(): Promise<ApiResult<MeResponse>>;
}

/** Statuses that mean "not for you without a session", as opposed to a server or network problem. */
const REFUSED = new Set([401, 403, 404]);

export async function findBoardStream(api: BoardSourceApi): Promise<BoardSource> {
  const board = await api.board();
  if (board.ok && typeof board.value.websocket_url === 'string') return { kind: 'url', url: board.value.websocket_url, via: 'viewer' };
  if (!board.ok && !(board.failure.kind === 'http' && REFUSED.has(board.failure.status))) return { kind: 'error' };
  const me = await api.me();
  if (me.ok) return { kind: 'url', url: me.value.websocket_url, via: 'session' };
  return me.failure.kind === 'http' && me.failure.status === 401 ? { kind: 'signin' } : { kind: 'error' };
}

/** The same search for a reconnect, in the shape LiveConnection asks for. */
export function boardFreshUrl(api: BoardSourceApi): () => Promise<FreshUrl> {
  return async () => {
    const src = await findBoardStream(api);
    if (src.kind === 'url') return { kind: 'url', url: src.url };
    return src.kind === 'signin' ? { kind: 'unauthorized' } : { kind: 'error' };
  };
}

/** How many standings rows the board shows: as many as fit, at most 10. */
export const BOARD_ROWS = 10;
