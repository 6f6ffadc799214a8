import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';
import type { LiveEvent } from '../protocol/messages.js';

const ev = (id: number): LiveEvent => ({ id, type: 'score', displayname: 'a', ts: id, challenge_id: 1, challenge: 'c', points: 1 });

describe('EventLog', () => {
  it('answers resumes it can serve and refuses the rest', () => {
    const log = new EventLog(3);
    for (const id of [1, 2, 4, 5]) log.append(ev(id));
    expect(log.since(5, 100)).toBe('[]');
    expect(JSON.parse(log.since(2, 100) ?? 'null').map((e: LiveEvent) => e.id)).toEqual([4, 5]);
    expect(log.since(1, 100)).not.toBeNull(); // floor is 1: events 2, 4, 5 are all kept
    expect(log.since(0, 100)).toBeNull(); // event 1 was dropped
    expect(log.since(6, 100)).toBeNull(); // from the future
    expect(log.since(1, 2)).toBeNull(); // too many to be worth it
  });
  it('refuses every old id after a clear', () => {
    const log = new EventLog(10);
    log.append(ev(1));
    log.clear(3);
    expect(log.since(0, 100)).toBeNull();
    expect(log.since(1, 100)).toBeNull();
    expect(log.since(3, 100)).toBe('[]');
    log.append(ev(4));
    expect(log.since(3, 100)).toBe(JSON.stringify([ev(4)]));
  });
});
