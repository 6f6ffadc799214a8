/**
 * Announcements in the app (SPEC §7): a pure reducer over the list (newest first) fed by
 * GET /api/announcements and live `announcement` messages, plus the read mark, which is kept in
 * browser storage so a reload does not mark everything unread again.
 */
import type { Announcement } from '../../../src/protocol/api.js';
import type { AnnouncementMessage } from '../../../src/protocol/messages.js';

/** Newest first: ts descending, then id descending. */
function newerFirst(a: Announcement, b: Announcement): number {
  return b.ts - a.ts || b.id - a.id;
}

/** A fetched list replaces ours: the server is the truth after every (re)connect. */
export function fromList(list: readonly Announcement[]): readonly Announcement[] {
  const byId = new Map<number, Announcement>();
  for (const a of list) byId.set(a.id, { id: a.id, ts: a.ts, text: a.text });
  return [...byId.values()].sort(newerFirst);
}

/**
 * A fetched list, with the live messages that arrived while the request was in flight applied on
 * top: the answer may have been read before they were posted, and must not undo them.
 */
export function fromFetch(list: readonly Announcement[], liveDuringFetch: readonly AnnouncementMessage[]): readonly Announcement[] {
  return liveDuringFetch.reduce(applyAnnouncement, fromList(list));
}

/** Applies one live message; returns the same array when nothing changed. */
export function applyAnnouncement(list: readonly Announcement[], msg: AnnouncementMessage): readonly Announcement[] {
  if ('deleted' in msg) {
    return list.some((a) => a.id === msg.id) ? list.filter((a) => a.id !== msg.id) : list;
  }
  const existing = list.find((a) => a.id === msg.id);
  if (existing !== undefined && existing.ts === msg.ts && existing.text === msg.text) return list;
  const next = list.filter((a) => a.id !== msg.id);
  next.push({ id: msg.id, ts: msg.ts, text: msg.text });
  return next.sort(newerFirst);
}

/**
 * The read mark: everything at or before (ts, id) has been seen. A watermark rather than a set of
 * ids, so it stays small and still holds if a reset restarts the ids (new ones are later in time).
 */
export interface ReadMark {
  readonly ts: number;
  readonly id: number;
}

export const NOTHING_READ: ReadMark = { ts: 0, id: 0 };

export function isUnread(a: Announcement, mark: ReadMark): boolean {
  return a.ts > mark.ts || (a.ts === mark.ts && a.id > mark.id);
}

export function unreadCount(list: readonly Announcement[], mark: ReadMark): number {
  return list.filter((a) => isUnread(a, mark)).length;
}

/** The mark after the player has seen the whole list (never moves backwards). */
export function markAllRead(list: readonly Announcement[], mark: ReadMark): ReadMark {
  const newest = list[0];
  if (newest === undefined || !isUnread(newest, mark)) return mark;
  return { ts: newest.ts, id: newest.id };
}

/** The part of `localStorage` the read mark needs (injectable for tests and private windows). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function readMarkKey(username: string): string {
  return `ctfg.announcements.read.${username}`;
}

export function loadReadMark(store: KeyValueStore | null, key: string): ReadMark {
  let raw: string | null;
  try {
    raw = store?.getItem(key) ?? null;
  } catch {
    return NOTHING_READ; // storage disabled (private mode, policy): everything counts as unread
  }
  if (raw === null) return NOTHING_READ;
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v === 'object' && v !== null) {
      const { ts, id } = v as Record<string, unknown>;
      if (typeof ts === 'number' && typeof id === 'number' && Number.isFinite(ts) && Number.isFinite(id)) return { ts, id };
    }
  } catch {
    // a corrupt value is treated like none
  }
  return NOTHING_READ;
}

export function saveReadMark(store: KeyValueStore | null, key: string, mark: ReadMark): void {
  try {
    store?.setItem(key, JSON.stringify({ ts: mark.ts, id: mark.id }));
  } catch {
    // quota or disabled storage: the mark lives for this tab only
  }
}

/** Narrows an untrusted socket message; null if it is not an announcement. */
export function parseAnnouncement(data: Record<string, unknown>): AnnouncementMessage | null {
  if (data.type !== 'announcement' || typeof data.id !== 'number') return null;
  if (data.deleted === true) return { type: 'announcement', id: data.id, deleted: true };
  if (typeof data.ts !== 'number' || typeof data.text !== 'string') return null;
  return { type: 'announcement', id: data.id, ts: data.ts, text: data.text };
}

/** A one-line preview for a toast: Markdown markers stripped, cut at a word. */
export function previewText(text: string, max = 140): string {
  const plain = text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[#>*_`~|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
