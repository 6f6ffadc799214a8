import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { CloseSteps } from '../lifecycle/close-steps.js';
import type { BusMessage, FanOut } from '../live/fanout.js';

export interface SocketCensusDeps {
  readonly fanout: FanOut;
  /** this instance's open sockets */
  readonly local: () => number;
  /** several instances share the game: tell them our count now and then */
  readonly shared: boolean;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly now?: () => number;
}

const DEFAULT_INTERVAL_MS = 5000;

/**
 * Open sockets on every instance, for the admin overview: each instance
 * sends its own count over the bus every few seconds; a count not renewed
 * for three intervals (a stopped instance) no longer counts.
 */
export function startSocketCensus(deps: SocketCensusDeps, closers: CloseSteps): () => number {
  const { fanout, local, logger } = deps;
  const intervalMs = deps.intervalMs ?? DEFAULT_INTERVAL_MS;
  const now = deps.now ?? Date.now;
  const origin = randomUUID();
  const others = new Map<string, { readonly count: number; readonly at: number }>();
  fanout.subscribe((m: BusMessage) => {
    if (m.kind === 'sockets' && m.origin !== origin) others.set(m.origin, { count: m.count, at: now() });
  });
  if (deps.shared) {
    const send = (): void =>
      void fanout.publish({ kind: 'sockets', origin, count: local() }).catch(() => logger.warn('sending the socket count failed'));
    send();
    const timer = setInterval(send, intervalMs);
    timer.unref();
    closers.add('socket census', () => clearInterval(timer));
  }
  return () => {
    const fresh = now() - 3 * intervalMs;
    let total = local();
    for (const [key, o] of others) {
      if (o.at < fresh) others.delete(key);
      else total += o.count;
    }
    return total;
  };
}
