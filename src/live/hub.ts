import type { WebSocket } from 'ws';
import type { LiveEvent, ResetMessage } from '../protocol/messages.js';

export interface HubOptions {
  /** seconds between server pings; 0 disables pings */
  readonly keepaliveSeconds: number;
  /** seconds without any sign of life before a socket is dropped */
  readonly pingTimeoutSeconds: number;
  /** a socket whose unsent bytes pass this is dropped as a slow consumer */
  readonly maxBufferedBytes: number;
  /** events closer together than this are sent as one batch */
  readonly coalesceMs: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  keepaliveSeconds: 15,
  pingTimeoutSeconds: 45,
  maxBufferedBytes: 1 << 20,
  coalesceMs: 50,
};

export interface HubMetrics {
  onBatch?(events: number, sockets: number): void;
  onDrop?(reason: 'timeout' | 'slow' | 'protocol'): void;
}

interface Client {
  readonly ws: WebSocket;
  readonly userId: number;
  readonly sessionHash: string;
  /** the newest event id this client already has (from its first message) */
  readonly joinedAt: number;
  lastSeen: number;
}

/** Close codes sent to clients. */
export const CloseCode = { goingAway: 1001, policy: 1008, reset: 4000, loggedOut: 4001 } as const;

/**
 * Every open scorestream socket of this instance. Events are coalesced into
 * batches, each serialized once and written to every socket; sockets that
 * stop answering or stop reading are dropped.
 */
export class Hub {
  private readonly clients = new Set<Client>();
  private pending: LiveEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private readonly keepalive: NodeJS.Timeout;

  constructor(
    private readonly options: HubOptions,
    private readonly metrics: HubMetrics = {},
    private readonly now: () => number = Date.now,
  ) {
    const tickSeconds = options.keepaliveSeconds > 0 ? options.keepaliveSeconds : Math.max(1, options.pingTimeoutSeconds / 3);
    this.keepalive = setInterval(() => this.tick(), tickSeconds * 1000);
    this.keepalive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Registers a socket that has just been sent its first message covering events up to `joinedAt`. */
  add(ws: WebSocket, userId: number, sessionHash: string, joinedAt: number): void {
    const client: Client = { ws, userId, sessionHash, joinedAt, lastSeen: this.now() };
    this.clients.add(client);
    const alive = (): void => {
      client.lastSeen = this.now();
    };
    ws.on('pong', alive);
    ws.on('message', (data, isBinary) => {
      alive();
      // The only thing a client may say is "ping" (proxy keep-alive).
      if (isBinary || data.toString() !== 'ping') {
        this.metrics.onDrop?.('protocol');
        ws.close(CloseCode.policy, 'unexpected message');
      }
    });
    ws.on('close', () => this.clients.delete(client));
    ws.on('error', () => {
      this.clients.delete(client);
      ws.terminate();
    });
  }

  enqueue(event: LiveEvent): void {
    this.pending.push(event);
    if (this.flushTimer) return;
    const wait = Math.max(0, this.lastFlush + this.options.coalesceMs - this.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  /** Sends the pending batch now. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    this.lastFlush = this.now();
    const first = (batch[0] as LiveEvent).id;
    const last = (batch[batch.length - 1] as LiveEvent).id;
    const payload = Buffer.from(JSON.stringify(batch));
    let sent = 0;
    for (const c of this.clients) {
      if (c.joinedAt >= last) continue;
      if (c.joinedAt >= first) {
        // Joined while this batch was pending: send only what its first message lacked.
        this.send(c, Buffer.from(JSON.stringify(batch.filter((e) => e.id > c.joinedAt))));
      } else {
        this.send(c, payload);
      }
      sent++;
    }
    this.metrics.onBatch?.(batch.length, sent);
  }

  private send(c: Client, payload: Buffer): void {
    if (c.ws.readyState !== c.ws.OPEN) return;
    if (c.ws.bufferedAmount + payload.length > this.options.maxBufferedBytes) {
      // A consumer that cannot keep up would make us buffer without bound.
      this.metrics.onDrop?.('slow');
      this.drop(c);
      return;
    }
    c.ws.send(payload, { binary: false });
  }

  private drop(c: Client): void {
    this.clients.delete(c);
    c.ws.terminate();
  }

  private tick(): void {
    const deadline = this.now() - this.options.pingTimeoutSeconds * 1000;
    for (const c of this.clients) {
      if (c.lastSeen < deadline) {
        this.metrics.onDrop?.('timeout');
        this.drop(c);
      } else if (this.options.keepaliveSeconds > 0 && c.ws.readyState === c.ws.OPEN) {
        c.ws.ping();
      }
    }
  }

  /** Logout: that session's sockets close. */
  closeSession(sessionHash: string): void {
    for (const c of this.clients) if (c.sessionHash === sessionHash) c.ws.close(CloseCode.loggedOut, 'logged out');
  }

  /** Admin reset: tell everyone, then close every socket within a second. */
  broadcastReset(message: ResetMessage): void {
    this.pending = [];
    const payload = Buffer.from(JSON.stringify(message));
    const closing = [...this.clients];
    this.clients.clear();
    for (const c of closing) {
      if (c.ws.readyState === c.ws.OPEN) c.ws.send(payload, { binary: false });
      c.ws.close(CloseCode.reset, 'game reset');
    }
    const killer = setTimeout(() => {
      for (const c of closing) if (c.ws.readyState !== c.ws.CLOSED) c.ws.terminate();
    }, 900);
    killer.unref();
  }

  /** Shutdown: flush what is pending, then close everything with "going away". */
  closeAll(): void {
    this.flush();
    clearInterval(this.keepalive);
    for (const c of this.clients) c.ws.close(CloseCode.goingAway, 'server shutting down');
    this.clients.clear();
  }
}
