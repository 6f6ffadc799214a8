/**
 * The signed-in shell: nav, clock banner, the routed view, toasts. Wires the challenge list, the
 * event clock, announcements and the live scoreboard connection together.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { AnnouncementMessage, LiveEvent } from '../../../src/protocol/messages.js';
import type { Api, AppConfig } from '../api/client.js';
import { previewText } from '../event/announcements.js';
import { firstBloods } from '../event/blood.js';
import { changesVisibility, type Clock } from '../event/clock.js';
import { useAnnouncements } from '../event/useAnnouncements.js';
import { useEventClock } from '../event/useClock.js';
import { findRow } from '../live/standings.js';
import { useLive } from '../live/useLive.js';
import { Nav } from '../ui/Nav.js';
import { Toasts, useToasts } from '../ui/Toasts.js';
import { useHashRoute } from '../ui/useHashRoute.js';
import { scoreFromChallenges } from '../util/format.js';
import { ChallengeDetail } from './ChallengeDetail.js';
import { Challenges } from './Challenges.js';
import { Announcements } from './event/Announcements.js';
import { BeforeStart, ClockBanner } from './event/ClockViews.js';
import { Scoreboard } from './Scoreboard.js';
import { useChallengeList } from './useChallengeList.js';

export interface PlayProps {
  readonly api: Api;
  readonly session: { readonly username: string; readonly displayname: string; readonly wsUrl: string };
  readonly config: AppConfig;
  readonly onLogout: () => void;
  readonly onReset: () => void;
  readonly onSessionEnded: () => void;
}

const BLOOD_TOAST_MS = 8000;
const ANNOUNCEMENT_TOAST_MS = 10_000;
const PAGE_TITLES = { scoreboard: 'Scoreboard', challenge: 'Challenge', challenges: 'Challenges', announcements: 'Announcements' } as const;

export function Play(props: PlayProps): JSX.Element {
  const { api, session } = props;
  const me = session.displayname;
  const route = useHashRoute();
  const [ownTotal, setOwnTotal] = useState<number | null>(null);
  const { toasts, show: toast, dismiss } = useToasts();
  const list = useChallengeList(api, me, toast);
  const { challenges, refresh } = list;

  const onEvents = useCallback(
    (events: readonly LiveEvent[]) => {
      // First blood is celebrated on every screen, not only the solver's.
      for (const b of firstBloods(events)) toast({ tone: 'blood', text: b.text, href: '#scoreboard' }, BLOOD_TOAST_MS);
      list.onEvents(events);
    },
    [list.onEvents, toast],
  );

  // The clock decides what may be seen: a state change or a freeze flip refetches the list (the
  // challenges appear at the start without a reload).
  const onClockChange = useCallback(
    (prev: Clock | null, next: Clock) => {
      if (prev !== null && changesVisibility(prev, next)) void refresh();
    },
    [refresh],
  );
  const clock = useEventClock(api, { onChange: onClockChange });
  const news = useAnnouncements(api, session.username);
  const { apply: applyNews, refetch: refetchNews } = news;
  const refetchClock = clock.refetch;
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

  const live = useLive(api, session.wsUrl, {
    onEvents,
    onReset: props.onReset,
    onLoggedOut: props.onSessionEnded,
    onOpen,
    onClock: clock.apply,
    onReload: () => void refresh(),
    onAnnouncement,
  });

  // Points in the nav: latest of (live standings row, submit response, score derived from the list).
  const myRow = findRow(live.standings, me);
  const myScore = myRow?.score;
  useEffect(() => {
    if (myScore !== undefined) setOwnTotal(myScore);
  }, [myScore]);
  useEffect(() => {
    if (challenges !== null && myScore === undefined) setOwnTotal(scoreFromChallenges(challenges));
  }, [challenges, myScore]);

  const onSolved = useCallback(
    (total: number) => {
      setOwnTotal(total);
      void refresh();
    },
    [refresh],
  );

  // Move focus to the new page's heading so keyboard and screen-reader users land on the content.
  const routeKey = route.name === 'challenge' ? `challenge-${route.id}` : route.name;
  const firstRoute = useRef(true);
  useEffect(() => {
    const title = PAGE_TITLES[route.name];
    document.title = `${title} · ${props.config.title}`;
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    window.scrollTo({ top: 0 });
    requestAnimationFrame(() => document.getElementById('page-title')?.focus({ preventScroll: true }));
  }, [routeKey, props.config.title]);

  return (
    <div class={`shell route-${route.name}`}>
      <a class="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('page-title')?.focus();
      }}>
        Skip to content
      </a>
      <Nav route={route} displayname={me} points={ownTotal} status={live.status} face={clock.face} unread={news.unread} onLogout={props.onLogout} />
      {clock.clock !== null && <ClockBanner clock={clock.clock} />}
      {props.config.banner !== null && (
        <div class="banner">
          <img src={props.config.banner} alt={`${props.config.title} banner`} />
        </div>
      )}
      <main id="main" class="main">
        {route.name === 'challenges' && clock.clock?.state === 'before' && clock.face !== null && <BeforeStart clock={clock.clock} face={clock.face} />}
        {route.name === 'challenges' && clock.clock?.state !== 'before' && (
          <Challenges challenges={challenges} error={list.loadError} newIds={list.newIds} onRetry={() => void refresh()} />
        )}
        {route.name === 'challenge' && (
          <ChallengeDetail api={api} id={route.id} challenges={challenges} points={ownTotal} onSolved={onSolved} refresh={refresh} />
        )}
        {route.name === 'scoreboard' && <Scoreboard standings={live.standings} me={me} status={live.status} clock={clock.clock} />}
        {route.name === 'announcements' && <Announcements list={news.list} mark={news.mark} onSeen={news.markRead} />}
      </main>
      <footer class="footer muted small">
        <span>
          {/* The default title is "ctfg" itself: say it once. */}
          {props.config.title !== 'ctfg' && `${props.config.title} · `}powered by <strong>ctfg</strong>
        </span>
      </footer>
      <Toasts toasts={toasts} onDismiss={dismiss} />
    </div>
  );
}
