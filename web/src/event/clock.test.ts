import { describe, expect, it } from 'vitest';
import type { EventResponse } from '../../../src/protocol/api.js';
import { changesVisibility, clockFace, clockFrom, describeFace, formatDuration, msToNextSecond, parseEventBody } from './clock.js';

const body = (over: Partial<EventResponse> = {}): EventResponse => ({
  title: 'Heist',
  state: 'before',
  start: 100_000,
  end: 200_000,
  freeze: null,
  frozen: false,
  paused: false,
  now: 40_000,
  ...over,
});

describe('parseEventBody', () => {
  it('accepts the /api/event shape, with or without the system-message fields', () => {
    expect(parseEventBody(body())).toEqual(body());
    expect(parseEventBody({ type: 'system', event: 'clock', ...body({ state: 'running' }) })?.state).toBe('running');
    expect(parseEventBody({ ...body(), title: '' })?.title).toBeNull();
  });
  it('refuses anything else', () => {
    expect(parseEventBody(null)).toBeNull();
    expect(parseEventBody({ ...body(), state: 'later' })).toBeNull();
    expect(parseEventBody({ ...body(), start: '2026-12-01' })).toBeNull();
    expect(parseEventBody({ ...body(), now: undefined })).toBeNull();
    expect(parseEventBody({ ...body(), end: Number.NaN })).toBeNull();
  });
});

describe('clockFace', () => {
  it('counts down to the start on the server clock, whatever the browser clock says', () => {
    // The browser is 10 s behind the server: local 30 000 is server 40 000.
    const clock = clockFrom(body(), 30_000);
    expect(clock.skew).toBe(10_000);
    expect(clockFace(clock, 30_000)).toEqual({ kind: 'countdown', ms: 60_000 });
    expect(clockFace(clock, 89_999)).toEqual({ kind: 'countdown', ms: 1 });
  });
  it('says "starting" at zero until the server pushes running', () => {
    const clock = clockFrom(body(), 40_000);
    expect(clockFace(clock, 100_000)).toEqual({ kind: 'starting' });
    expect(describeFace(clockFace(clock, 100_500))).toBe('Starting…');
  });
  it('shows the time left while running, none when the event has no end', () => {
    expect(clockFace(clockFrom(body({ state: 'running', now: 150_000 }), 150_000), 150_000)).toEqual({ kind: 'time-left', ms: 50_000 });
    expect(clockFace(clockFrom(body({ state: 'running', now: 250_000 }), 250_000), 260_000)).toEqual({ kind: 'time-left', ms: 0 });
    expect(clockFace(clockFrom(body({ state: 'running', start: null, end: null }), 0), 0)).toEqual({ kind: 'open' });
  });
  it('paused and ended carry no countdown to the start', () => {
    expect(clockFace(clockFrom(body({ state: 'paused', paused: true, now: 150_000 }), 150_000), 150_000)).toEqual({ kind: 'paused', endsIn: 50_000 });
    expect(clockFace(clockFrom(body({ state: 'paused', paused: true, end: null }), 0), 0)).toEqual({ kind: 'paused', endsIn: null });
    expect(clockFace(clockFrom(body({ state: 'ended' }), 0), 0)).toEqual({ kind: 'ended' });
  });
});

describe('changesVisibility', () => {
  it('is true when the state or the freeze flips, not when only a time moves', () => {
    const a = clockFrom(body(), 0);
    expect(changesVisibility(a, clockFrom(body({ state: 'running' }), 0))).toBe(true);
    expect(changesVisibility(a, clockFrom(body({ frozen: true }), 0))).toBe(true);
    expect(changesVisibility(a, clockFrom(body({ start: 120_000 }), 0))).toBe(false);
  });
});

describe('formatDuration', () => {
  it('rounds up to whole seconds and grows hours and days only when needed', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(1)).toBe('00:01');
    expect(formatDuration(59_001)).toBe('01:00');
    expect(formatDuration(3_600_000)).toBe('1:00:00');
    expect(formatDuration(3_723_000)).toBe('1:02:03');
    expect(formatDuration(2 * 86_400_000 + 3_723_000)).toBe('2d 01:02:03');
    expect(formatDuration(-5)).toBe('00:00');
  });
  it('msToNextSecond wakes a ticking display when the shown second changes', () => {
    expect(msToNextSecond(60_000)).toBe(1000);
    expect(msToNextSecond(59_250)).toBe(250);
  });
});
