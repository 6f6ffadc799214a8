/**
 * How long a client may take to send a request. Bodies are at most 16 KB, so
 * a legitimate client finishes in well under a second; a client that stops
 * mid-way (slowloris) is answered 408 and closed instead of holding a socket
 * and its memory forever. Neither limit applies once a request has arrived
 * (slow handlers are not cut) nor to scorestream sockets after the upgrade.
 */
export interface HttpTimeouts {
  /** whole request, headers and body (CTFG_REQUEST_TIMEOUT, seconds) */
  readonly requestMs: number;
  /** headers alone (CTFG_HEADERS_TIMEOUT, seconds); never more than requestMs */
  readonly headersMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { requestMs: 30_000, headersMs: 10_000 };

function seconds(name: string, raw: string | null | undefined, fallbackMs: number): number {
  if (raw === null || raw === undefined || raw.trim() === '') return fallbackMs;
  const n = /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!(n > 0) || n > 3600) throw new Error(`${name}="${raw}" is not valid: write a number of seconds between 0 and 3600, e.g. "30"`);
  return Math.round(n * 1000);
}

/** Reads CTFG_REQUEST_TIMEOUT and CTFG_HEADERS_TIMEOUT (seconds); throws with the variable's name on a bad value. */
export function parseTimeouts(request: string | null | undefined, headers: string | null | undefined): HttpTimeouts {
  const requestMs = seconds('CTFG_REQUEST_TIMEOUT', request, DEFAULT_TIMEOUTS.requestMs);
  const headersMs = seconds('CTFG_HEADERS_TIMEOUT', headers, DEFAULT_TIMEOUTS.headersMs);
  // Node refuses a headers timeout longer than the request timeout.
  return { requestMs, headersMs: Math.min(headersMs, requestMs) };
}

/** How often Node looks for expired requests: a fraction of the shortest limit, so a timeout fires close to its time. */
export function checkingIntervalMs(t: HttpTimeouts): number {
  return Math.min(5000, Math.max(250, Math.floor(t.headersMs / 4)));
}
