import type { StreamEvent } from '../protocol/messages.js';

interface Entry {
  readonly event: StreamEvent;
  /** the full form (admins; everyone when the event is public) */
  readonly json: string;
  /** who may see the own form: the player, or in team mode every member of the team */
  readonly owners: number | readonly number[];
  /** set when the event came during the freeze: only its player (team) sees it, in this form */
  readonly ownJson: string | null;
}

/** Who is resuming: an admin sees everything; a player also sees their own frozen events. */
export interface Viewer {
  readonly admin: boolean;
  /** null for anonymous viewers */
  readonly userId: number | null;
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

  /** `owners`: the player, or the members of their team, who may see `ownJson`. */
  append(event: StreamEvent, owners: number | readonly number[], json: string, ownJson: string | null): void {
    this.entries.push({ event, json, owners, ownJson });
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
  since(since: number, max: number, viewer: Viewer = { admin: true, userId: null }): string | null {
    if (!Number.isSafeInteger(since) || since < this.floor || since > this.last) return null;
    let lo = this.start;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.entries[mid] as Entry).event.id <= since) lo = mid + 1;
      else hi = mid;
    }
    if (this.entries.length - lo > max) return null;
    const parts: string[] = [];
    for (let i = lo; i < this.entries.length; i++) {
      const e = this.entries[i] as Entry;
      if (viewer.admin || e.ownJson === null) parts.push(e.json);
      else if (viewer.userId !== null && isOwner(e.owners, viewer.userId)) parts.push(e.ownJson);
    }
    return `[${parts.join(',')}]`;
  }
}

/** Whether `userId` is among an event's owners (one player, or a team's members). */
export function isOwner(owners: number | readonly number[], userId: number): boolean {
  return typeof owners === 'number' ? owners === userId : owners.includes(userId);
}
