/**
 * Preact glue for the event clock: loads GET /api/event, takes `clock` messages from the socket,
 * and re-renders once per displayed second only while a countdown or time-left is on screen.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { EventResponse } from '../../../src/protocol/api.js';
import type { Api } from '../api/client.js';
import { clockFace, clockFrom, msToNextSecond, type Clock, type ClockFace } from './clock.js';

export interface ClockHandle {
  /** null until the first answer */
  readonly clock: Clock | null;
  readonly face: ClockFace | null;
  /** a body from the socket (`clock` message) or from GET /api/event */
  readonly apply: (body: EventResponse) => void;
  /** asks GET /api/event again (e.g. after a reconnect) */
  readonly refetch: () => void;
}

/** While "starting" (the countdown hit zero), ask again this often until the server says running. */
const STARTING_RETRY_MS = 1500;

export interface ClockOptions {
  /** without a socket (the login page) the schedule is re-read this often; 0 = never */
  readonly pollMs?: number;
  readonly onChange?: (prev: Clock | null, next: Clock) => void;
}

export function useEventClock(api: Pick<Api, 'event'>, opts: ClockOptions = {}): ClockHandle {
  const [clock, setClock] = useState<Clock | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const onChange = useRef(opts.onChange);
  onChange.current = opts.onChange;
  const current = useRef<Clock | null>(null);

  const apply = useCallback((body: EventResponse) => {
    const next = clockFrom(body, Date.now());
    const prev = current.current;
    current.current = next;
    setClock(next);
    setNow(Date.now());
    onChange.current?.(prev, next);
  }, []);

  const refetch = useCallback(() => {
    void api.event().then((res) => {
      if (res.ok) apply(res.value);
    });
  }, [api, apply]);

  useEffect(() => refetch(), [refetch]);

  const pollMs = opts.pollMs ?? 0;
  useEffect(() => {
    if (pollMs <= 0) return undefined;
    const t = setInterval(refetch, pollMs);
    return () => clearInterval(t);
  }, [pollMs, refetch]);

  const face = clock === null ? null : clockFace(clock, now);
  const faceKind = face?.kind;
  const msLeft = face !== null && 'ms' in face ? face.ms : null;
  useEffect(() => {
    if (faceKind === 'starting') {
      const t = setTimeout(refetch, STARTING_RETRY_MS);
      return () => clearTimeout(t);
    }
    if (msLeft === null || msLeft <= 0) return undefined;
    const t = setTimeout(() => setNow(Date.now()), msToNextSecond(msLeft) + 5);
    return () => clearTimeout(t);
    // `clock` is a dependency so that a refetch still answering "before" arms the retry again.
  }, [clock, faceKind, msLeft, refetch]);

  return { clock, face, apply, refetch };
}
