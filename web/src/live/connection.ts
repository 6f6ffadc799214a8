/**
 * The scorestream client (SPEC §4): one WebSocket per signed-in tab that survives server restarts,
 * token expiry and flaky networks without a page reload.
 *
 * Everything environmental (the socket, timers, randomness, the /api/me call) is injected so the
 * state machine can be tested in node with fakes; `openBrowserSocket` adapts the real WebSocket.
 */
import { CLIENT_PING, CloseCode } from '../../../src/protocol/messages.js';
import type { EventResponse } from '../../../src/protocol/api.js';
import type { AnnouncementMessage, BoardMessage, ResetMessage, SnapshotMessage } from '../../../src/protocol/messages.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { parseServerMessage, type ParsedMessage, type PlayEvent } from './parse.js';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  /** called exactly once per socket, whether or not it ever opened */
  onClose(code: number): void;
}

export interface SocketHandle {
  send(text: string): void;
  close(code?: number): void;
}

export type SocketOpener = (url: string, handlers: SocketHandlers) => SocketHandle;

export type FreshUrl = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'unauthorized' } | { readonly kind: 'error' };

/** Returns a function that cancels the timer. */
export type ScheduleFn = (fn: () => void, ms: number) => () => void;

export interface LiveCallbacks {
  onSnapshot(msg: SnapshotMessage): void;
  /** only events newer than anything delivered before, oldest first */
  /** solves, hints and adjustments, in id order */
  onEvents(events: readonly PlayEvent[]): void;
  onReset(msg: ResetMessage): void;
  /** rows repriced by dynamic scoring, after the events they follow (SPEC §9) */
  onBoard?(msg: BoardMessage): void;
  onStatus(status: ConnectionStatus): void;
  /** the session is gone (GET /api/me answered 401) */
  onLoggedOut(): void;
  /** a socket opened (first connect and every reconnect): time to refetch what a resume does not carry */
  onOpen?(): void;
  /** the event clock changed (SPEC §7), and last in every resume answer */
  onClock?(clock: EventResponse): void;
  /** the visible challenges changed (timed release, admin reload): refetch them */
  onReload?(): void;
  onAnnouncement?(msg: AnnouncementMessage): void;
}

export interface LiveDeps {
  readonly openSocket: SocketOpener;
  /** GET /api/me, reduced to what a reconnect needs */
  readonly fetchFreshUrl: () => Promise<FreshUrl>;
  readonly schedule: ScheduleFn;
  readonly random: () => number;
  readonly pingIntervalMs?: number;
  readonly backoff?: BackoffOptions;
  /** consecutive failed attempts after which the pill says "offline" instead of "reconnecting" */
  readonly offlineAfter?: number;
}

const NORMAL_CLOSURE = 1000;

/** Adds or replaces `since` so a resumed stream sends only what we missed. */
export function withSince(url: string, lastId: number | null): string {
  if (lastId === null) return url;
  const hashless = url.split('#')[0] ?? url;
  const [path, query = ''] = hashless.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  params.set('since', String(lastId));
  return `${path}?${params.toString()}`;
}

export class LiveConnection {
  private url: string;
  private socket: SocketHandle | null = null;
  private stopped = false;
  private opened = false;
  private needFreshUrl = false;
  /** null until a snapshot told us where the stream stands */
  private lastId: number | null = null;
  private attempt = 0;
  private failures = 0;
  private status: ConnectionStatus = 'connecting';
  private cancelRetry: (() => void) | null = null;
  private cancelPing: (() => void) | null = null;

  constructor(
    url: string,
    private readonly callbacks: LiveCallbacks,
    private readonly deps: LiveDeps,
  ) {
    this.url = url;
  }

  start(): void {
    this.stopped = false;
    this.setStatus('connecting');
    this.connect();
  }

  /** Closes for good (logout, reset, unmount). */
  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.stopPing();
    const s = this.socket;
    this.socket = null;
    s?.close(NORMAL_CLOSURE);
  }

  /** The browser came back online: skip the remaining backoff wait. */
  nudge(): void {
    if (this.stopped || this.socket !== null || this.cancelRetry === null) return;
    this.cancelRetry();
    this.cancelRetry = null;
    this.attempt = 0;
    void this.reconnect();
  }

  get lastEventId(): number | null {
    return this.lastId;
  }

  private setStatus(s: ConnectionStatus): void {
    if (s === this.status && s !== 'connecting') return;
    this.status = s;
    this.callbacks.onStatus(s);
  }

  private connect(): void {
    this.opened = false;
    let closed = false;
    const socket = this.deps.openSocket(withSince(this.url, this.lastId), {
      onOpen: () => {
        if (this.socket !== socket) return;
        this.opened = true;
        this.failures = 0;
        this.setStatus('live');
        this.startPing();
        this.callbacks.onOpen?.();
      },
      onMessage: (text) => {
        if (this.socket === socket) this.handleMessage(text);
      },
      onClose: (code) => {
        if (closed) return;
        closed = true;
        if (this.socket !== socket) return;
        this.socket = null;
        this.stopPing();
        if (this.stopped) return;
        // Never opened: most likely the token was refused (HTTP 401 before the upgrade, which a
        // browser only reports as close code 1006), so ask /api/me for a fresh URL first.
        if (!this.opened) this.needFreshUrl = true;
        if (code === CloseCode.loggedOut) {
          // The server ended this session (logout elsewhere, a ban): ask /api/me at once, no backoff.
          this.needFreshUrl = true;
          void this.reconnect();
          return;
        }
        this.scheduleReconnect();
      },
    });
    this.socket = socket;
  }

  private handleMessage(text: string): void {
    const msg = parseServerMessage(text);
    if (msg === null) return; // unknown shapes are ignored, never fatal
    // A message proves the server accepted us, so the next failure starts the backoff afresh.
    this.attempt = 0;
    if (msg.kind === 'snapshot') {
      this.lastId = msg.snapshot.last_id;
      this.callbacks.onSnapshot(msg.snapshot);
    } else if (msg.kind === 'events') {
      const floor = this.lastId ?? -Infinity;
      const fresh = msg.events.filter((e) => e.id > floor).sort((a, b) => a.id - b.id);
      const newest = fresh[fresh.length - 1];
      if (newest === undefined) return;
      this.lastId = newest.id;
      this.callbacks.onEvents(fresh);
    } else if (msg.kind === 'reset') {
      // Admin reset: every session is gone; reconnecting would only earn 401s.
      this.stop();
      this.setStatus('offline');
      this.callbacks.onReset(msg.reset);
    } else {
      this.handleObject(msg);
    }
  }

  private handleObject(msg: Extract<ParsedMessage, { kind: 'clock' | 'reload' | 'announcement' | 'board' }>): void {
    if (msg.kind === 'board') this.callbacks.onBoard?.(msg.board);
    else if (msg.kind === 'clock') this.callbacks.onClock?.(msg.clock);
    else if (msg.kind === 'reload') this.callbacks.onReload?.();
    else this.callbacks.onAnnouncement?.(msg.announcement);
  }

  private scheduleReconnect(): void {
    this.failures += 1;
    this.setStatus(this.failures >= (this.deps.offlineAfter ?? 4) ? 'offline' : 'reconnecting');
    const delay = backoffDelay(this.attempt, this.deps.random, this.deps.backoff ?? DEFAULT_BACKOFF);
    this.attempt += 1;
    this.cancelRetry = this.deps.schedule(() => {
      this.cancelRetry = null;
      void this.reconnect();
    }, delay);
  }

  private async reconnect(): Promise<void> {
    if (this.stopped) return;
    if (this.needFreshUrl) {
      const fresh = await this.deps.fetchFreshUrl().catch((): FreshUrl => ({ kind: 'error' }));
      if (this.stopped) return;
      if (fresh.kind === 'unauthorized') {
        this.stop();
        this.setStatus('offline');
        this.callbacks.onLoggedOut();
        return;
      }
      if (fresh.kind === 'error') {
        this.scheduleReconnect(); // server still down: keep backing off
        return;
      }
      this.url = fresh.url;
      this.needFreshUrl = false;
    }
    this.connect();
  }

  private startPing(): void {
    this.stopPing();
    const interval = this.deps.pingIntervalMs ?? 25_000;
    const tick = (): void => {
      this.socket?.send(CLIENT_PING);
      this.cancelPing = this.deps.schedule(tick, interval);
    };
    this.cancelPing = this.deps.schedule(tick, interval);
  }

  private stopPing(): void {
    this.cancelPing?.();
    this.cancelPing = null;
  }
}

/** The real WebSocket behind the `SocketOpener` seam. */
export const openBrowserSocket: SocketOpener = (url, handlers) => {
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch {
    // A malformed URL throws synchronously; report it like a refused connection.
    setTimeout(() => handlers.onClose(1006), 0);
    return { send: () => undefined, close: () => undefined };
  }
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (ev: MessageEvent) => {
    if (typeof ev.data === 'string') handlers.onMessage(ev.data);
  };
  ws.onclose = (ev: CloseEvent) => handlers.onClose(ev.code);
  return {
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    close: (code) => {
      ws.onclose = null;
      ws.close(code);
      handlers.onClose(code ?? NORMAL_CLOSURE);
    },
  };
};

/** Browser timers behind the `ScheduleFn` seam. */
export const browserSchedule: ScheduleFn = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
};
