/**
 * Preact glue for the scorestream: owns one LiveConnection per websocket URL and folds its messages
 * into standings state. The connection logic itself lives in connection.ts (tested without a DOM).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api/client.js';
import type { EventResponse } from '../../../src/protocol/api.js';
import type { AnnouncementMessage, LiveEvent, ResetMessage } from '../../../src/protocol/messages.js';
import { browserSchedule, LiveConnection, openBrowserSocket, type ConnectionStatus, type FreshUrl } from './connection.js';
import { applyLive, EMPTY_STANDINGS, fromScoreboard, fromSnapshot, type LiveItem, type StandingsState } from './standings.js';
import { isLiveEvent } from './parse.js';

export interface LiveHandlers {
  onEvents(events: readonly LiveEvent[]): void;
  onReset(msg: ResetMessage): void;
  onLoggedOut(): void;
  /** every socket open, first or re-: refetch what a resume does not carry (announcements) */
  onOpen?(): void;
  onClock?(clock: EventResponse): void;
  onReload?(): void;
  onAnnouncement?(msg: AnnouncementMessage): void;
}

export interface LiveState {
  readonly status: ConnectionStatus;
  readonly standings: StandingsState;
}

/** How long to wait for the snapshot before showing the REST scoreboard instead. */
const REST_SEED_AFTER_MS = 1500;
const BATCH_MS = 120;

/** GET /api/me's stream URL: a player's socket. The projector passes its own (GET /api/board). */
export function meFreshUrl(api: Api): () => Promise<FreshUrl> {
  return async () => {
    const me = await api.me();
    if (me.ok) return { kind: 'url', url: me.value.websocket_url };
    return me.failure.kind === 'http' && me.failure.status === 401 ? { kind: 'unauthorized' } : { kind: 'error' };
  };
}

/**
 * `frozen` (SPEC §7): the board stays as it was at the freeze, this player's row included, so
 * events that still arrive (the player's own) reach the handlers but not the standings; the reveal
 * brings a fresh snapshot.
 */
export function useLive(api: Api, wsUrl: string | null, handlers: LiveHandlers, freshUrl?: () => Promise<FreshUrl>, frozen = false): LiveState {
  const [status, setStatus] = useState<ConnectionStatus>('connecting');
  const [standings, setStandings] = useState<StandingsState>(EMPTY_STANDINGS);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const freshUrlRef = useRef(freshUrl);
  freshUrlRef.current = freshUrl;
  const frozenRef = useRef(frozen);
  frozenRef.current = frozen;

  useEffect(() => {
    if (wsUrl === null) {
      setStandings(EMPTY_STANDINGS);
      return undefined;
    }
    const fetchFreshUrl = freshUrlRef.current ?? meFreshUrl(api);
    let gotSnapshot = false;
    // Events are folded in at most every BATCH_MS: during a solve storm a projector or a phone
    // redraws the table and chart a few times a second instead of once per event.
    let pending: LiveItem[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      flushTimer = null;
      const batch = pending;
      pending = [];
      if (batch.length > 0) setStandings((s) => applyLive(s, batch));
    };
    const conn = new LiveConnection(
      wsUrl,
      {
        onSnapshot: (msg) => {
          gotSnapshot = true;
          pending = []; // the snapshot already contains them
          setStandings(fromSnapshot(msg));
        },
        onEvents: (events) => {
          if (!frozenRef.current) pending.push(...events);
          if (flushTimer === null) flushTimer = setTimeout(flush, BATCH_MS);
          const plays = events.filter(isLiveEvent);
          if (plays.length > 0) handlersRef.current.onEvents(plays);
        },
        onBoard: (msg) => {
          if (frozenRef.current) return;
          pending.push(msg);
          if (flushTimer === null) flushTimer = setTimeout(flush, BATCH_MS);
        },
        onReset: (msg) => handlersRef.current.onReset(msg),
        onStatus: setStatus,
        onLoggedOut: () => handlersRef.current.onLoggedOut(),
        onOpen: () => handlersRef.current.onOpen?.(),
        onClock: (c) => handlersRef.current.onClock?.(c),
        onReload: () => handlersRef.current.onReload?.(),
        onAnnouncement: (m) => handlersRef.current.onAnnouncement?.(m),
      },
      { openSocket: openBrowserSocket, fetchFreshUrl, schedule: browserSchedule, random: Math.random },
    );
    conn.start();

    // If the stream is slow or blocked by a proxy, still show the table from the REST endpoint.
    const seed = setTimeout(() => {
      if (gotSnapshot) return;
      void api.scoreboard().then((res) => {
        if (res.ok && !gotSnapshot) setStandings((s) => (s.source === 'rest' ? fromScoreboard(res.value) : s));
      });
    }, REST_SEED_AFTER_MS);

    const onOnline = (): void => conn.nudge();
    window.addEventListener('online', onOnline);
    return () => {
      clearTimeout(seed);
      if (flushTimer !== null) clearTimeout(flushTimer);
      window.removeEventListener('online', onOnline);
      conn.stop();
    };
  }, [api, wsUrl]);

  return { status, standings };
}
