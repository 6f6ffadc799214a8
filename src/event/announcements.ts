import type { Announcement } from '../protocol/api.js';
import type { AnnouncementMessage } from '../protocol/messages.js';
import type { BusMessage } from '../live/fanout.js';
import type { Store } from '../storage/store.js';

type AnnouncementBus = Extract<BusMessage, { kind: 'announcement' }>;

/** Announcements: stored, then pushed to every socket of every instance through the bus. */
export class Announcements {
  constructor(
    private readonly store: Store,
    private readonly publish: (message: BusMessage) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds one; with `key`, at most once per key across instances (null when it already was). */
  async add(text: string, key?: string): Promise<Announcement | null> {
    const record = await this.store.addAnnouncement(text, this.now(), key);
    if (record) await this.publish({ kind: 'announcement', id: record.id, ts: record.ts, text: record.text });
    return record;
  }

  async remove(id: number): Promise<boolean> {
    if (!(await this.store.deleteAnnouncement(id))) return false;
    await this.publish({ kind: 'announcement', id, ts: this.now(), deleted: true });
    return true;
  }

  list(): Promise<Announcement[]> {
    return this.store.listAnnouncements();
  }
}

/** The socket message for a bus announcement. */
export function announcementJson(m: AnnouncementBus): string {
  const message: AnnouncementMessage =
    m.deleted === true ? { type: 'announcement', id: m.id, deleted: true } : { type: 'announcement', id: m.id, ts: m.ts, text: m.text ?? '' };
  return JSON.stringify(message);
}
