import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';
import type { LiveEvent } from '../protocol/messages.js';

const ev = (id: number): LiveEvent => ({ id, type: 'score', displayname: 'a', ts: id, challenge_id: 1, challenge: 'c', points: 1 });

describe('EventLog', () => {
  it('answers resumes it can serve and refuses the rest', () => {
    const log = new EventLog(3);
    for (const id of [1, 2, 4, 5]) log.append(ev(id), 1, JSON.stringify(ev(id)), null);
    expect(log.since(5, 100)).toBe('[]');
    expect(JSON.parse(log.since(2, 100) ?? 'null').map((e: LiveEvent) => e.id)).toEqual([4, 5]);
    expect(log.since(1, 100)).not.toBeNull(); // floor is 1: events 2, 4, 5 are all kept
    expect(log.since(0, 100)).toBeNull(); // event 1 was dropped
    expect(log.since(6, 100)).toBeNull(); // from the future
    expect(log.since(1, 2)).toBeNull(); // too many to be worth it
  });
  it('refuses every old id after a clear', () => {
    const log = new EventLog(10);
    log.append(ev(1), 1, JSON.stringify(ev(1)), null);
    log.clear(3);
    expect(log.since(0, 100)).toBeNull();
    expect(log.since(1, 100)).toBeNull();
    expect(log.since(3, 100)).toBe('[]');
    log.append(ev(4), 1, JSON.stringify(ev(4)), null);
    expect(log.since(3, 100)).toBe(JSON.stringify([ev(4)]));
  });
  it('shows frozen events only to their own player, in their own form', () => {
    const log = new EventLog(10);
    log.append(ev(1), 1, JSON.stringify(ev(1)), null);
    log.append(ev(2), 1, JSON.stringify({ ...ev(2), blood: 1 }), JSON.stringify(ev(2)));
    log.append(ev(3), 2, JSON.stringify(ev(3)), JSON.stringify(ev(3)));
    const ids = (json: string | null): number[] => (JSON.parse(json ?? 'null') as LiveEvent[]).map((e) => e.id);
    expect(ids(log.since(0, 100, { admin: false, userId: 1 }))).toEqual([1, 2]);
    expect(log.since(1, 100, { admin: false, userId: 1 })).toBe(`[${JSON.stringify(ev(2))}]`);
    expect(ids(log.since(0, 100, { admin: false, userId: null }))).toEqual([1]);
    expect(ids(log.since(0, 100, { admin: true, userId: null }))).toEqual([1, 2, 3]);
  });
});
