import type { LiveEvent } from '../protocol/messages.js';

interface Entry {
  readonly event: LiveEvent;
  readonly json: string;
}

/**
 * The most recent live events, serialized once, for clients that resume with
 * `since=<id>`. Older history is not needed: a client that is too far behind
 * gets a snapshot instead.
 */
export class EventLog {
  private entries: Entry[] = [];
  private start = 0;
  /** every event with id > floor is in the log */
  private floor: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    lastId = 0,
  ) {
    this.floor = lastId;
    this.last = lastId;
  }

  get lastId(): number {
    return this.last;
  }

  append(event: LiveEvent): string {
    const json = JSON.stringify(event);
    this.entries.push({ event, json });
    this.last = Math.max(this.last, event.id);
    if (this.entries.length - this.start > this.capacity) {
      const dropped = this.entries[this.start] as Entry;
      this.floor = dropped.event.id;
      this.start++;
      // Compact now and then instead of shifting on every append.
      if (this.start > this.capacity) {
        this.entries = this.entries.slice(this.start);
        this.start = 0;
      }
    }
    return json;
  }

  /** Forgets everything up to `upTo` (an admin reset); ids keep increasing after this. */
  clear(upTo: number): void {
    this.entries = [];
    this.start = 0;
    this.last = Math.max(this.last, upTo);
    this.floor = this.last;
  }

  /**
   * The serialized array of events after `since`, or null when the log cannot
   * answer (too old, from the future) or the answer would hold more than `max` events.
   */
  since(since: number, max: number): string | null {
    if (!Number.isSafeInteger(since) || since < this.floor || since > this.last) return null;
    let lo = this.start;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as Entry).event.id <= since) lo = mid + 1;
      else hi = mid;
    }
    if (this.entries.length - lo > max) return null;
    let out = '[';
    for (let i = lo; i < this.entries.length; i++) out += (i > lo ? ',' : '') + (this.entries[i] as Entry).json;
    return out + ']';
  }
}
