import { describe, expect, it } from 'vitest';
import type { Announcement } from '../../../src/protocol/api.js';
import {
  applyAnnouncement,
  fromFetch,
  fromList,
  isUnread,
  loadReadMark,
  markAllRead,
  NOTHING_READ,
  parseAnnouncement,
  previewText,
  readMarkKey,
  saveReadMark,
  unreadCount,
  type KeyValueStore,
} from './announcements.js';

const a = (id: number, ts: number, text = `note ${id}`): Announcement => ({ id, ts, text });

class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}

describe('announcement list', () => {
  it('a fetched list is sorted newest first and deduplicated', () => {
    expect(fromList([a(1, 10), a(3, 30), a(2, 20), a(3, 30)]).map((x) => x.id)).toEqual([3, 2, 1]);
  });
  it('live messages add, replace and delete; repeats change nothing', () => {
    let list = fromList([a(1, 10)]);
    list = applyAnnouncement(list, { type: 'announcement', ...a(2, 20) });
    expect(list.map((x) => x.id)).toEqual([2, 1]);
    const same = applyAnnouncement(list, { type: 'announcement', ...a(2, 20) });
    expect(same).toBe(list);
    list = applyAnnouncement(list, { type: 'announcement', ...a(2, 20, 'edited') });
    expect(list[0]?.text).toBe('edited');
    list = applyAnnouncement(list, { type: 'announcement', id: 1, deleted: true });
    expect(list.map((x) => x.id)).toEqual([2]);
    expect(applyAnnouncement(list, { type: 'announcement', id: 99, deleted: true })).toBe(list);
  });
});

describe('read mark', () => {
  it('counts what arrived after the mark, and marking all read never moves back', () => {
    const list = fromList([a(1, 10), a(2, 20), a(3, 20)]);
    expect(unreadCount(list, NOTHING_READ)).toBe(3);
    const mark = markAllRead(list, NOTHING_READ);
    expect(mark).toEqual({ ts: 20, id: 3 });
    expect(unreadCount(list, mark)).toBe(0);
    expect(isUnread(a(4, 20), mark)).toBe(true); // same millisecond, later id
    expect(markAllRead(fromList([a(1, 10)]), mark)).toBe(mark);
    expect(markAllRead([], mark)).toBe(mark);
  });
  it('a deleted unread announcement no longer counts', () => {
    let list = fromList([a(1, 10), a(2, 20)]);
    list = applyAnnouncement(list, { type: 'announcement', id: 2, deleted: true });
    expect(unreadCount(list, { ts: 10, id: 1 })).toBe(0);
  });
  it('survives a reload through storage, per user; corrupt or missing storage reads as nothing read', () => {
    const store = new MemoryStore();
    const key = readMarkKey('player1');
    saveReadMark(store, key, { ts: 20, id: 3 });
    expect(loadReadMark(store, key)).toEqual({ ts: 20, id: 3 });
    expect(loadReadMark(store, readMarkKey('player2'))).toEqual(NOTHING_READ);
    store.setItem(key, '{oops');
    expect(loadReadMark(store, key)).toEqual(NOTHING_READ);
    store.setItem(key, '{"ts":"1","id":2}');
    expect(loadReadMark(store, key)).toEqual(NOTHING_READ);
    expect(loadReadMark(null, key)).toEqual(NOTHING_READ);
    const throwing: KeyValueStore = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(loadReadMark(throwing, key)).toEqual(NOTHING_READ);
    expect(() => saveReadMark(throwing, key, { ts: 1, id: 1 })).not.toThrow();
  });
});

describe('parseAnnouncement', () => {
  it('narrows additions and deletions', () => {
    expect(parseAnnouncement({ type: 'announcement', id: 1, ts: 2, text: 'x' })).toEqual({ type: 'announcement', id: 1, ts: 2, text: 'x' });
    expect(parseAnnouncement({ type: 'announcement', id: 1, deleted: true })).toEqual({ type: 'announcement', id: 1, deleted: true });
    expect(parseAnnouncement({ type: 'announcement', id: 1, ts: 2 })).toBeNull();
    expect(parseAnnouncement({ type: 'other', id: 1, ts: 2, text: 'x' })).toBeNull();
  });
});

describe('previewText', () => {
  it('strips Markdown and HTML and cuts at a word', () => {
    expect(previewText('**Challenge 7** was [fixed](https://x.example)! <b>Sorry</b>')).toBe('Challenge 7 was fixed! Sorry');
    expect(previewText('# Title\n\n```\ncode\n```\nafter')).toBe('Title after');
    const long = previewText('word '.repeat(60), 40);
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(41);
  });
});

describe('fromFetch', () => {
  it('keeps live messages that arrived while the list was being fetched', () => {
    const fetched = [a(1, 100)];
    expect(fromFetch(fetched, [{ type: 'announcement', id: 2, ts: 200, text: 'new' }]).map((x) => x.id)).toEqual([2, 1]);
    expect(fromFetch(fetched, [{ type: 'announcement', id: 1, deleted: true }])).toEqual([]);
    expect(fromFetch(fetched, [])).toEqual(fetched);
  });
});
