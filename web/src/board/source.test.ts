import { describe, expect, it } from 'vitest';
import type { ApiFailure, ApiResult } from '../api/client.js';
import type { BoardResponse, MeResponse } from '../../../src/protocol/api.js';
import { boardFreshUrl, findBoardStream, type BoardSourceApi } from './source.js';

const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
const fail = <T>(status: number | 'network'): ApiResult<T> => {
  const failure: ApiFailure = status === 'network' ? { kind: 'network' } : { kind: 'http', status, code: `http_${status}`, retryAfter: null };
  return { ok: false, failure };
};
const me: MeResponse = { username: 'u', displayname: 'U', needs_name: false, websocket_url: 'ws://h/scorestream?token=player' };

function fakeApi(board: ApiResult<BoardResponse>, who: ApiResult<MeResponse>): BoardSourceApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    board: async () => (calls.push('board'), board),
    me: async () => (calls.push('me'), who),
  };
}

describe('findBoardStream', () => {
  it('prefers the viewer stream of GET /api/board', async () => {
    const api = fakeApi(ok({ websocket_url: 'ws://h/scorestream?token=viewer' }), ok(me));
    expect(await findBoardStream(api)).toEqual({ kind: 'url', url: 'ws://h/scorestream?token=viewer', via: 'viewer' });
    expect(api.calls).toEqual(['board']);
  });
  it('falls back to the session stream when the board is not public', async () => {
    for (const status of [401, 403, 404]) {
      expect(await findBoardStream(fakeApi(fail(status), ok(me)))).toEqual({ kind: 'url', url: me.websocket_url, via: 'session' });
    }
  });
  it('asks for a sign-in without either', async () => {
    expect(await findBoardStream(fakeApi(fail(403), fail(401)))).toEqual({ kind: 'signin' });
  });
  it('reports a server or network problem as an error (to retry), not as a sign-in', async () => {
    expect(await findBoardStream(fakeApi(fail(503), ok(me)))).toEqual({ kind: 'error' });
    expect(await findBoardStream(fakeApi(fail('network'), ok(me)))).toEqual({ kind: 'error' });
    expect(await findBoardStream(fakeApi(fail(401), fail(500)))).toEqual({ kind: 'error' });
  });
  it('maps onto the reconnect contract', async () => {
    expect(await boardFreshUrl(fakeApi(fail(401), ok(me)))()).toEqual({ kind: 'url', url: me.websocket_url });
    expect(await boardFreshUrl(fakeApi(fail(401), fail(401)))()).toEqual({ kind: 'unauthorized' });
    expect(await boardFreshUrl(fakeApi(fail('network'), fail(401)))()).toEqual({ kind: 'error' });
  });
});
