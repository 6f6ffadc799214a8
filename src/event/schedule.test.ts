import { describe, expect, it } from 'vitest';
import { NO_EVENT } from '../config/event-file.js';
import { effectiveSchedule, eventBody, nextTransition, overriddenFields, stateAt } from './schedule.js';

const file = { ...NO_EVENT, title: 'T', start: 1000, end: 5000, freeze: 4000 };

describe('the event schedule', () => {
  it('orders the states: ended over paused over before', () => {
    const s = { start: 1000, end: 5000, freeze: null, paused: false };
    expect(stateAt(s, 999)).toBe('before');
    expect(stateAt(s, 1000)).toBe('running');
    expect(stateAt({ ...s, paused: true }, 500)).toBe('paused');
    expect(stateAt({ ...s, paused: true }, 5000)).toBe('ended');
  });

  it('lets a stored field win until the file brings a new value for it', () => {
    const stored = { start: { value: 2000, file: 1000 }, paused: true };
    expect(effectiveSchedule(file, stored)).toEqual({ start: 2000, end: 5000, freeze: 4000, paused: true });
    expect(overriddenFields(file, stored)).toEqual(['start', 'paused']);
    expect(effectiveSchedule({ ...file, start: 1500 }, stored).start).toBe(1500);
  });

  it('is frozen from the freeze until that freeze is revealed', () => {
    const s = effectiveSchedule(file, { paused: false });
    expect(eventBody('T', s, null, 3999).frozen).toBe(false);
    expect(eventBody('T', s, null, 4000)).toMatchObject({ frozen: true, state: 'running', freeze: 4000 });
    expect(eventBody('T', s, null, 6000)).toMatchObject({ frozen: true, state: 'ended' });
    expect(eventBody('T', s, 4000, 4500).frozen).toBe(false);
    expect(eventBody('T', { ...s, freeze: 4200 }, 4000, 4500).frozen).toBe(true);
  });

  it('arms for the next transition only', () => {
    const s = effectiveSchedule(file, { paused: false });
    expect(nextTransition(s, [], 0)).toBe(1000);
    expect(nextTransition(s, [3000], 1000)).toBe(3000);
    expect(nextTransition(s, [], 5000)).toBeNull();
  });
});
