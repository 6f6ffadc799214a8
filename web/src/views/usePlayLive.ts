/**
 * Everything the signed-in app hears live, wired together: the scorestream (standings), the event
 * clock and announcements, with the toasts they raise (first bloods, news) and the challenge-list
 * refetches they cause (own events, clock changes, reload messages).
 */
import { useCallback } from 'preact/hooks';
import type { AnnouncementMessage, LiveEvent, ResetMessage } from '../../../src/protocol/messages.js';
import type { Api } from '../api/client.js';
import { previewText } from '../event/announcements.js';
import { firstBloods } from '../event/blood.js';
import { changesVisibility, type Clock } from '../event/clock.js';
import { useAnnouncements, type AnnouncementsHandle } from '../event/useAnnouncements.js';
import { useEventClock, type ClockHandle } from '../event/useClock.js';
import { useLive, type LiveState } from '../live/useLive.js';
import type { ToastsHandle } from '../ui/Toasts.js';
import type { ChallengeList } from './useChallengeList.js';

const BLOOD_TOAST_MS = 8000;
const ANNOUNCEMENT_TOAST_MS = 10_000;

export interface PlayLive {
  readonly live: LiveState;
  readonly clock: ClockHandle;
  readonly news: AnnouncementsHandle;
}

export interface PlayLiveOptions {
  readonly api: Api;
  readonly username: string;
  readonly wsUrl: string;
  readonly list: ChallengeList;
  readonly toast: ToastsHandle['show'];
  readonly onReset: (msg: ResetMessage) => void;
  readonly onSessionEnded: () => void;
}

export function usePlayLive(opts: PlayLiveOptions): PlayLive {
  const { api, toast } = opts;
  const { refresh, onEvents: listOnEvents } = opts.list;

  // A state change or a freeze flip changes what may be seen: the challenges appear at the start
  // without a reload.
  const onClockChange = useCallback(
    (prev: Clock | null, next: Clock) => {
      if (prev !== null && changesVisibility(prev, next)) void refresh();
    },
    [refresh],
  );
  const clock = useEventClock(api, { onChange: onClockChange });
  const news = useAnnouncements(api, opts.username);
  const { apply: applyNews, refetch: refetchNews } = news;
  const refetchClock = clock.refetch;

  const onEvents = useCallback(
    (events: readonly LiveEvent[]) => {
      // First blood is celebrated on every screen, not only the solver's.
      for (const b of firstBloods(events)) toast({ tone: 'blood', text: b.text, href: '#scoreboard' }, BLOOD_TOAST_MS);
      listOnEvents(events);
    },
    [listOnEvents, toast],
  );
  const onAnnouncement = useCallback(
    (msg: AnnouncementMessage) => {
      const added = applyNews(msg);
      if (added !== null) toast({ tone: 'announcement', title: 'Announcement', text: previewText(added.text), href: '#announcements' }, ANNOUNCEMENT_TOAST_MS);
    },
    [applyNews, toast],
  );
  // A resume carries no announcements, so every (re)connect refetches them (and the clock).
  const onOpen = useCallback(() => {
    refetchNews();
    refetchClock();
  }, [refetchNews, refetchClock]);

  const live = useLive(
    api,
    opts.wsUrl,
    {
      onEvents,
      onReset: opts.onReset,
      onLoggedOut: opts.onSessionEnded,
      onOpen,
      onClock: clock.apply,
      onReload: () => void refresh(),
      onAnnouncement,
    },
    undefined,
    clock.clock?.frozen === true,
  );
  return { live, clock, news };
}
