/**
 * Reconnect delays: exponential backoff with "full jitter" (a uniformly random delay between 0 and
 * the exponential ceiling). Full jitter matters here because after a server restart every browser
 * in the room reconnects at once; spreading them out keeps the first second survivable.
 */

export interface BackoffOptions {
  /** ceiling of the first retry, in ms */
  readonly baseMs: number;
  /** the ceiling never grows beyond this, in ms */
  readonly capMs: number;
  /** lower bound so a retry never spins in a tight loop, in ms */
  readonly minMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 30_000, minMs: 100 };

/** The ceiling for a given attempt (0-based): base·2^attempt, capped. */
export function backoffCeiling(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const safeAttempt = Math.max(0, Math.min(attempt, 30)); // 2^30 is already far past any cap
  return Math.min(opts.capMs, opts.baseMs * 2 ** safeAttempt);
}

/**
 * The delay before retry number `attempt` (0-based). `random` returns a number in [0, 1) and is
 * injected so tests are deterministic.
 */
export function backoffDelay(attempt: number, random: () => number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const ceiling = backoffCeiling(attempt, opts);
  const raw = random();
  const r = Number.isFinite(raw) ? Math.min(Math.max(raw, 0), 1) : 0;
  return Math.max(opts.minMs, Math.floor(r * ceiling));
}
