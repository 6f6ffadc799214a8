/**
 * The event clock as pure functions (SPEC §7): the effective schedule from
 * event.yaml and what the admin stored, the state at a moment, and the next
 * moment something changes.
 */
import { z } from 'zod';
import type { EventConfig } from '../config/event-file.js';
import { EventState, type EventResponse } from '../protocol/api.js';

export const TIME_FIELDS = ['start', 'end', 'freeze'] as const;
export type TimeField = (typeof TIME_FIELDS)[number];

const Override = z.object({ value: z.number().nullable(), file: z.number().nullable() });

/**
 * What the admin set, stored in the database. Each time field remembers the
 * event.yaml value it replaced: when the file later brings a different value,
 * the file wins again.
 */
export const StoredSchedule = z.object({
  start: Override.optional(),
  end: Override.optional(),
  freeze: Override.optional(),
  paused: z.boolean().default(false),
});
export type StoredSchedule = z.infer<typeof StoredSchedule>;

export const SCHEDULE_KEY = 'event_schedule';
export const REVEAL_KEY = 'event_reveal';

/** The reveal mark: which freeze time was revealed. */
export const StoredReveal = z.object({ freeze: z.number() });

export interface Schedule {
  readonly start: number | null;
  readonly end: number | null;
  readonly freeze: number | null;
  readonly paused: boolean;
}

export function parseStored<T>(schema: z.ZodType<T>, raw: string | null, fallback: T): T {
  if (raw === null) return fallback;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** The schedule in force: a stored field wins while the file still has the value it replaced. */
export function effectiveSchedule(file: EventConfig, stored: StoredSchedule): Schedule {
  const pick = (field: TimeField): number | null => {
    const o = stored[field];
    return o && o.file === file[field] ? o.value : file[field];
  };
  return { start: pick('start'), end: pick('end'), freeze: pick('freeze'), paused: stored.paused };
}

/** The fields where the stored schedule overrides the file (for the start-up log). */
export function overriddenFields(file: EventConfig, stored: StoredSchedule): string[] {
  const out: string[] = TIME_FIELDS.filter((f) => {
    const o = stored[f];
    return o !== undefined && o.file === file[f] && o.value !== file[f];
  });
  if (stored.paused) out.push('paused');
  return out;
}

export function stateAt(s: Schedule, now: number): EventState {
  if (s.end !== null && now >= s.end) return EventState.ended;
  if (s.paused) return EventState.paused;
  if (s.start !== null && now < s.start) return EventState.before;
  return EventState.running;
}

/** The freeze in force: set and not revealed. */
export function freezeInForce(s: Schedule, revealed: number | null): number | null {
  return s.freeze !== null && s.freeze !== revealed ? s.freeze : null;
}

export function eventBody(title: string | null, s: Schedule, revealed: number | null, now: number): EventResponse {
  const freeze = freezeInForce(s, revealed);
  return {
    title,
    state: stateAt(s, now),
    start: s.start,
    end: s.end,
    freeze: s.freeze,
    frozen: freeze !== null && now >= freeze,
    paused: s.paused,
    now,
  };
}

/** The next moment after `now` at which the state, `frozen` or a release changes; null when none. */
export function nextTransition(s: Schedule, releases: readonly number[], now: number): number | null {
  let next: number | null = null;
  for (const t of [s.start, s.end, s.freeze, ...releases]) if (t !== null && t > now && (next === null || t < next)) next = t;
  return next;
}
