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

/** How often Node looks for expired requests: a fraction of the shortest limit, so a timeout fires close to its time. */
export function checkingIntervalMs(t: HttpTimeouts): number {
  return Math.min(5000, Math.max(250, Math.floor(t.headersMs / 4)));
}
