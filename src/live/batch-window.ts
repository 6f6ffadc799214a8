/** Sockets joined within the last quarter to half second that mean a reconnecting crowd (200+ a second), and the longest window then. */
export const RECONNECT_CROWD = 100;
export const CROWD_MAX_WINDOW_MS = 1000;

export interface WindowOptions {
  /** events closer together than this are sent as one batch (with few sockets) */
  readonly coalesceMs: number;
  /** the longest window in normal play, reached with many sockets */
  readonly maxCoalesceMs: number;
}

/**
 * How long the hub gathers events before writing a batch. Each write to a
 * socket is a system call (10–30 µs), so the window grows with the number of
 * sockets: 25 ms for a classroom, up to 150 ms for thousands, keeping the
 * writes per second bounded. Up to that cap it is also never shorter than the
 * last batch took to write: batches written back to back leave no turn for
 * anything else, and a reconnecting crowd's handshakes overflow the kernel's
 * accept queue meanwhile. While a crowd reconnects (200 or more sockets a
 * second) it stretches to three times the last batch's writing, up to a
 * second: the handshakes then get most of the loop (measured: 10,000 sockets
 * back in 10 s instead of 12.6–16 s).
 */
export function batchWindow(o: WindowOptions, sockets: number, lastFlushMs: number, recentJoins: number): number {
  const window = Math.min(o.maxCoalesceMs, Math.max(o.coalesceMs, sockets / 50, lastFlushMs));
  return recentJoins >= RECONNECT_CROWD ? Math.max(window, Math.min(CROWD_MAX_WINDOW_MS, 3 * lastFlushMs)) : window;
}

/** Sockets added in the current quarter second and the one before it: a crowd's stretch ends half a second after it. */
export class JoinRate {
  private slot = 0;
  private count = 0;
  private before = 0;

  note(nowMs: number): void {
    const slot = Math.floor(nowMs / SLOT_MS);
    if (slot !== this.slot) {
      this.before = slot === this.slot + 1 ? this.count : 0;
      this.count = 0;
      this.slot = slot;
    }
    this.count++;
  }

  /** Sockets added within the last quarter to half second. */
  recent(nowMs: number): number {
    const slot = Math.floor(nowMs / SLOT_MS);
    if (slot === this.slot) return this.count + this.before;
    return slot === this.slot + 1 ? this.count : 0;
  }
}

const SLOT_MS = 250;
