/** Preact glue for announcements: the list, the stored read mark, live messages and refetches. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Announcement } from '../../../src/protocol/api.js';
import type { AnnouncementMessage } from '../../../src/protocol/messages.js';
import type { Api } from '../api/client.js';
import {
  applyAnnouncement,
  fromFetch,
  loadReadMark,
  markAllRead,
  readMarkKey,
  saveReadMark,
  unreadCount,
  type KeyValueStore,
  type ReadMark,
} from './announcements.js';

export interface AnnouncementsHandle extends AnnouncementList {
  readonly mark: ReadMark;
  readonly unread: number;
  readonly markRead: () => void;
}

function browserStore(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export interface AnnouncementList {
  readonly list: readonly Announcement[];
  /** a live message; returns the announcement when it is new to this tab (worth a toast) */
  readonly apply: (msg: AnnouncementMessage) => Announcement | null;
  /** fetches the list; live messages that arrive meanwhile are replayed onto its answer */
  readonly refetch: () => void;
}

/** The announcements list kept from fetches and live messages; shared by the play view and the board. */
export function useAnnouncementList(api: Api): AnnouncementList & { readonly listRef: { readonly current: readonly Announcement[] } } {
  const [list, setList] = useState<readonly Announcement[]>([]);
  const listRef = useRef(list);
  listRef.current = list;

  // Live messages seen since the latest refetch began, replayed onto its answer.
  const liveDuringFetch = useRef<AnnouncementMessage[] | null>(null);
  const refetch = useCallback(() => {
    const live: AnnouncementMessage[] = [];
    liveDuringFetch.current = live;
    void api.announcements().then((res) => {
      if (liveDuringFetch.current !== live) return; // a newer refetch owns the list
      liveDuringFetch.current = null;
      if (!res.ok || !Array.isArray(res.value)) return;
      const next = fromFetch(res.value, live);
      listRef.current = next;
      setList(next);
    });
  }, [api]);

  const apply = useCallback((msg: AnnouncementMessage): Announcement | null => {
    liveDuringFetch.current?.push(msg);
    const before = listRef.current;
    const after = applyAnnouncement(before, msg);
    if (after === before) return null;
    listRef.current = after;
    setList(after);
    if ('deleted' in msg || before.some((a) => a.id === msg.id)) return null;
    return after.find((a) => a.id === msg.id) ?? null;
  }, []);

  return { list, listRef, apply, refetch };
}

export function useAnnouncements(api: Api, username: string): AnnouncementsHandle {
  const key = readMarkKey(username);
  const { list, listRef, apply, refetch } = useAnnouncementList(api);
  const [mark, setMark] = useState<ReadMark>(() => loadReadMark(browserStore(), key));

  useEffect(() => refetch(), [refetch]);

  const markRead = useCallback(() => {
    setMark((m) => {
      const next = markAllRead(listRef.current, m);
      if (next !== m) saveReadMark(browserStore(), key, next);
      return next;
    });
  }, [key]);

  return { list, mark, unread: unreadCount(list, mark), apply, refetch, markRead };
}
