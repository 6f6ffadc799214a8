import type { Recorder } from './metrics.js';

/** A failed step of a player's script. `recorded` avoids counting one failure twice. */
export class StepError extends Error {
  override readonly name = 'StepError';
  constructor(
    message: string,
    readonly recorded: boolean,
  ) {
    super(message);
  }
}

export interface RequestSpec {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** metrics label; defaults to `METHOD path` */
  readonly label?: string;
  readonly body?: unknown;
  /** statuses the script handles itself; anything else is an error */
  readonly expect: readonly number[];
  /** record under the static asset breakdown */
  readonly asset?: boolean;
}

export interface Reply {
  readonly status: number;
  /** parsed JSON when the response is JSON, else the text */
  readonly body: unknown;
  readonly text: string;
}

export interface HttpClientOptions {
  readonly baseUrl: URL;
  readonly recorder: Recorder;
  readonly player: string;
  /** aborts everything (the --duration hard stop) */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** how often a 429 is retried after its Retry-After before it counts as an error */
  readonly maxRateLimitRetries?: number;
}

/** Longest Retry-After we honour: a longer one means the run cannot make progress anyway. */
const MAX_RETRY_AFTER_MS = 10_000;

/**
 * One browser tab's HTTP side: a cookie jar of its own over the process-wide
 * keep-alive connection pool of undici's fetch, with every request timed and
 * recorded. A 429 is what a polite client waits out (Retry-After), so it is
 * retried a bounded number of times and counted as rate-limited, not as an error.
 */
export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly options: HttpClientOptions) {}

  async request(spec: RequestSpec): Promise<Reply> {
    const retries = this.options.maxRateLimitRetries ?? 5;
    for (let attempt = 0; ; attempt += 1) {
      const reply = await this.once(spec, attempt < retries);
      if (reply.status !== 429 || spec.expect.includes(429)) return reply;
      this.options.recorder.counters.rateLimited += 1;
      await sleep(reply.retryAfterMs, this.options.signal);
    }
  }

  private async once(spec: RequestSpec, mayRetry429: boolean): Promise<Reply & { retryAfterMs: number }> {
    const { recorder, baseUrl, player } = this.options;
    const label = spec.label ?? `${spec.method} ${spec.path}`;
    const headers: Record<string, string> = { accept: spec.asset ? '*/*' : 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const started = recorder.now();
    let res: Response;
    let buf: ArrayBuffer;
    try {
      res = await fetch(new URL(spec.path, baseUrl), {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        redirect: 'manual',
        signal: AbortSignal.any([this.options.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      buf = await res.arrayBuffer();
    } catch (err) {
      const ms = recorder.now() - started;
      recorder.recordRequest({ label, status: 0, ms, bytes: 0, ok: false });
      const message = `${spec.method} ${spec.path}: ${describeFetchError(err, this.options.signal)}`;
      recorder.recordError(player, label, message);
      throw new StepError(message, true);
    }
    const ms = recorder.now() - started;
    this.storeCookies(res.headers);
    const text = new TextDecoder().decode(buf);
    const body = parseBody(text, res.headers.get('content-type'));
    const rateLimited = res.status === 429 && mayRetry429 && !spec.expect.includes(429);
    const ok = spec.expect.includes(res.status) || rateLimited;
    recorder.recordRequest({
      label,
      status: res.status,
      ms,
      bytes: buf.byteLength,
      ok,
      ...(spec.asset ? { assetPath: spec.path } : {}),
    });
    if (!ok) {
      // The concrete path, not the label: "which asset 404s" is the useful part.
      const message = `${spec.method} ${spec.path} → ${res.status} ${errorText(body, text)}`;
      recorder.recordError(player, label, message);
      throw new StepError(message, true);
    }
    const retryAfter = Number(res.headers.get('retry-after') ?? '1');
    const retryAfterMs = Math.min(MAX_RETRY_AFTER_MS, Math.max(100, (Number.isFinite(retryAfter) ? retryAfter : 1) * 1000));
    return { status: res.status, body, text, retryAfterMs };
  }

  private storeCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // An empty value or Max-Age=0 is the server clearing the cookie (logout).
      if (value === '' || /;\s*max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!text || !(contentType ?? '').includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The `{error}` of an error body, or the start of whatever else came back. */
function errorText(body: unknown, text: string): string {
  if (typeof body === 'object' && body !== null && 'error' in body) return String((body as { error: unknown }).error);
  return text.slice(0, 120).replace(/\s+/g, ' ');
}

function describeFetchError(err: unknown, runSignal: AbortSignal): string {
  if (runSignal.aborted) return 'stopped by --duration';
  if (err instanceof Error) {
    if (err.name === 'TimeoutError') return 'request timed out';
    // undici hides the socket-level reason (ECONNREFUSED, ECONNRESET…) in `cause`.
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return `${err.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`;
    return err.message;
  }
  return String(err);
}

/** Sleeps, waking early (with a StepError) when the run is stopped. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new StepError('stopped by --duration', false));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new StepError('stopped by --duration', false));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
