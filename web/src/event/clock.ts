/**
 * The event clock as the app sees it (SPEC §7): a pure model built from GET /api/event or a
 * `clock` system message. The server pushes every state change, so the app never decides a state
 * itself; it only counts down to the next boundary, corrected for the browser's clock skew.
 */
import type { EventResponse, EventState } from '../../../src/protocol/api.js';

/** The /api/event body without the server's `now`, which becomes the skew. */
export interface Clock extends Omit<EventResponse, 'now'> {
  /** server time minus local time when the body arrived (ms) */
  readonly skew: number;
}

const STATES: ReadonlySet<string> = new Set<EventState>(['before', 'running', 'paused', 'ended']);

function isTime(v: unknown): v is number | null {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

/** Narrows an untrusted body (HTTP or socket) to the /api/event shape; null if it is not one. */
export function parseEventBody(data: unknown): EventResponse | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (typeof d.state !== 'string' || !STATES.has(d.state)) return null;
  if (!isTime(d.start) || !isTime(d.end) || !isTime(d.freeze) || typeof d.now !== 'number') return null;
  return {
    title: typeof d.title === 'string' && d.title !== '' ? d.title : null,
    state: d.state as EventState,
    start: d.start,
    end: d.end,
    freeze: d.freeze,
    frozen: d.frozen === true,
    paused: d.paused === true,
    now: d.now,
  };
}

export function clockFrom(body: EventResponse, localNow: number): Clock {
  return {
    title: body.title,
    state: body.state,
    start: body.start,
    end: body.end,
    freeze: body.freeze,
    frozen: body.frozen,
    paused: body.paused,
    skew: body.now - localNow,
  };
}

/** An open event (no start, no end, not paused): what the app assumes before the first answer. */
export const OPEN_CLOCK: Clock = {
  title: null,
  state: 'running',
  start: null,
  end: null,
  freeze: null,
  frozen: false,
  paused: false,
  skew: 0,
};

/** What the clock face shows: a countdown, the time left, or a plain state with no timer. */
export type ClockFace =
  | { readonly kind: 'countdown'; readonly ms: number }
  | { readonly kind: 'starting' }
  | { readonly kind: 'time-left'; readonly ms: number }
  | { readonly kind: 'open' }
  | { readonly kind: 'paused'; readonly endsIn: number | null }
  | { readonly kind: 'ended' };

export function clockFace(clock: Clock, localNow: number): ClockFace {
  const now = localNow + clock.skew;
  switch (clock.state) {
    case 'before':
      if (clock.start === null) return { kind: 'starting' };
      // At zero the server's clock message is at most a second away; say so instead of "00:00".
      return clock.start - now > 0 ? { kind: 'countdown', ms: clock.start - now } : { kind: 'starting' };
    case 'running':
      return clock.end === null ? { kind: 'open' } : { kind: 'time-left', ms: Math.max(0, clock.end - now) };
    case 'paused':
      return { kind: 'paused', endsIn: clock.end === null ? null : Math.max(0, clock.end - now) };
    case 'ended':
      return { kind: 'ended' };
  }
}

/** Did a new clock change what the player may see (the challenge list, the board)? */
export function changesVisibility(prev: Clock, next: Clock): boolean {
  return prev.state !== next.state || prev.frozen !== next.frozen;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "2d 03:04:05", "1:02:03", "04:05": whole seconds, rounded up so 0 shows only at the boundary. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days}d ${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`;
  return `${pad(minutes)}:${pad(seconds)}`;
}

/** Milliseconds until the displayed second changes (so a ticking display wakes once per second). */
export function msToNextSecond(ms: number): number {
  const rest = ms % 1000;
  return rest <= 0 ? 1000 : rest;
}

/** A sentence for screen readers and titles, e.g. "Starts in 1:02:03". */
export function describeFace(face: ClockFace): string {
  switch (face.kind) {
    case 'countdown':
      return `Starts in ${formatDuration(face.ms)}`;
    case 'starting':
      return 'Starting…';
    case 'time-left':
      return `${formatDuration(face.ms)} left`;
    case 'open':
      return 'Running';
    case 'paused':
      return 'Paused';
    case 'ended':
      return 'The event is over';
  }
}
