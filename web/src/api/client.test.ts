import { describe, expect, it } from 'vitest';
import { createApi } from './client.js';

type Call = { url: string; init: RequestInit | undefined };

function fakeFetch(responses: Array<Response | Error>): { fetchFn: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const next = responses.shift();
    if (!next) throw new Error('no response queued');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { fetchFn, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('api client', () => {
  it('posts JSON same-origin with the session cookie and returns the value', async () => {
    const { fetchFn, calls } = fakeFetch([json(200, { result: 'correct', points: 100, total: 100 })]);
    const api = createApi({ onUnauthorized: () => undefined, fetchFn });
    const res = await api.submit(3, 'flag{x}');
    expect(res).toEqual({ ok: true, value: { result: 'correct', points: 100, total: 100 } });
    expect(calls[0]?.url).toBe('/api/submit');
    expect(calls[0]?.init?.credentials).toBe('same-origin');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ id: 3, flag: 'flag{x}' });
  });

  it('maps error bodies, statuses and Retry-After into a failure value', async () => {
    const { fetchFn } = fakeFetch([json(429, { error: 'rate_limit_exceeded' }, { 'retry-after': '9' })]);
    const api = createApi({ onUnauthorized: () => undefined, fetchFn });
    expect(await api.hint(1, 2)).toEqual({
      ok: false,
      failure: { kind: 'http', status: 429, code: 'rate_limit_exceeded', retryAfter: 9 },
    });
  });

  it('reports network errors and non-JSON error pages without throwing', async () => {
    const { fetchFn } = fakeFetch([new TypeError('Failed to fetch'), new Response('<html>bad gateway</html>', { status: 502 })]);
    const api = createApi({ onUnauthorized: () => undefined, fetchFn });
    expect(await api.challenges()).toEqual({ ok: false, failure: { kind: 'network' } });
    expect(await api.challenges()).toMatchObject({ ok: false, failure: { status: 502, code: 'http_502' } });
  });

  it('signals a lost session on 401 from authenticated calls only', async () => {
    let lost = 0;
    const { fetchFn } = fakeFetch([json(401, { error: 'invalid_credentials' }), json(401, { error: 'unauthorized' }), json(401, { error: 'unauthorized' })]);
    const api = createApi({ onUnauthorized: () => lost++, fetchFn });
    await api.login('a', 'b');
    await api.me();
    expect(lost).toBe(0);
    await api.challenges();
    expect(lost).toBe(1);
  });

  it('treats 204 as success with no body', async () => {
    const { fetchFn } = fakeFetch([new Response(null, { status: 204 })]);
    const api = createApi({ onUnauthorized: () => undefined, fetchFn });
    expect(await api.logout()).toEqual({ ok: true, value: null });
  });
});
