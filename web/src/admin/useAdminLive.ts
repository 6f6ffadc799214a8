/**
 * The console's one live socket (GET /api/admin/stream-url): never frozen, and it also carries
 * `{"type":"submission",…}`. The scorestream state machine is the app's own (live/connection.ts);
 * submission messages are tapped off the socket before it, since players never get them.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminSubmission } from '../../../src/protocol/console.js';
import type { EventResponse } from '../../../src/protocol/api.js';
import type { PlayEvent } from '../live/parse.js';
import { browserSchedule, LiveConnection, openBrowserSocket, type ConnectionStatus, type FreshUrl, type SocketOpener } from '../live/connection.js';
import { applyBoard, applyEvents, EMPTY_STANDINGS, fromSnapshot, type StandingsState } from '../live/standings.js';
import type { AdminApi } from './api.js';
import { parseSubmission } from './submissions.js';

export interface AdminLiveHandlers {
  onSubmission?(s: AdminSubmission): void;
  onEvents?(events: readonly PlayEvent[]): void;
  onClock?(clock: EventResponse): void;
  /** every socket open: refetch what the stream does not carry */
  onOpen?(): void;
  /** any message at all, including kinds this console does not parse (e.g. an adjustment) */
  onActivity?(): void;
}

export interface AdminLive {
  readonly status: ConnectionStatus;
  readonly standings: StandingsState;
  /** adds a listener; returns its removal */
  readonly subscribe: (h: AdminLiveHandlers) => () => void;
}

/** Wraps a socket opener so submission messages go to `tap` and the rest on to the connection. */
export function tapSubmissions(open: SocketOpener, tap: (s: AdminSubmission) => void, activity: () => void = () => undefined): SocketOpener {
  return (url, handlers) =>
    open(url, {
      ...handlers,
      onMessage: (text) => {
        const s = parseSubmission(text);
        if (s === null) handlers.onMessage(text);
        else tap(s);
        activity();
      },
    });
}

export function useAdminLive(api: AdminApi, firstUrl: string, onLoggedOut: () => void): AdminLive {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [standings, setStandings] = useState<StandingsState>(EMPTY_STANDINGS);
  const listeners = useRef(new Set<AdminLiveHandlers>());
  const loggedOut = useRef(onLoggedOut);
  loggedOut.current = onLoggedOut;
  const [subscribe] = useState(() => (h: AdminLiveHandlers) => {
    listeners.current.add(h);
    return () => void listeners.current.delete(h);
  });

  useEffect(() => {
    const each = (f: (h: AdminLiveHandlers) => void): void => listeners.current.forEach(f);
    const fetchFreshUrl = async (): Promise<FreshUrl> => {
      const res = await api.streamUrl();
      if (res.ok) return { kind: 'url', url: res.value.websocket_url };
      return res.failure.kind === 'http' && res.failure.status === 401 ? { kind: 'unauthorized' } : { kind: 'error' };
    };
    const conn = new LiveConnection(
      firstUrl,
      {
        onSnapshot: (msg) => setStandings(fromSnapshot(msg)),
        onBoard: (msg) => setStandings((s) => applyBoard(s, msg)),
        onEvents: (events) => {
          setStandings((s) => applyEvents(s, events));
          each((h) => h.onEvents?.(events));
        },
        // The reset logs players out, not admins: the console stays, the board starts over.
        onReset: () => {
          setStandings(EMPTY_STANDINGS);
          conn.start();
        },
        onStatus: setStatus,
        onLoggedOut: () => loggedOut.current(),
        onOpen: () => each((h) => h.onOpen?.()),
        onClock: (c) => each((h) => h.onClock?.(c)),
      },
      {
        openSocket: tapSubmissions(
          openBrowserSocket,
          (s) => each((h) => h.onSubmission?.(s)),
          () => each((h) => h.onActivity?.()),
        ),
        fetchFreshUrl,
        schedule: browserSchedule,
        random: Math.random,
      },
    );
    conn.start();
    const onOnline = (): void => conn.nudge();
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('online', onOnline);
      conn.stop();
    };
  }, [api, firstUrl]);

  return { status, standings, subscribe };
}
