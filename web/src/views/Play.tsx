/**
 * The signed-in shell: nav, clock banner, the routed view, toasts. Wires the challenge list, the
 * event clock, announcements and the live scoreboard connection together.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { Api, AppConfig } from '../api/client.js';
import type { Route } from '../router.js';
import { Nav } from '../ui/Nav.js';
import { Toasts, useToasts } from '../ui/Toasts.js';
import { useHashRoute } from '../ui/useHashRoute.js';
import { ChallengeDetail } from './ChallengeDetail.js';
import { Challenges } from './Challenges.js';
import { Announcements } from './event/Announcements.js';
import { BeforeStart, ClockBanner } from './event/ClockViews.js';
import { Scoreboard } from './Scoreboard.js';
import { useChallengeList } from './useChallengeList.js';
import { useOwnTotal } from './useOwnTotal.js';
import { usePlayLive } from './usePlayLive.js';

export interface PlayProps {
  readonly api: Api;
  readonly session: { readonly username: string; readonly displayname: string; readonly wsUrl: string; readonly team: string | null };
  readonly config: AppConfig;
  readonly onLogout: () => void;
  readonly onReset: () => void;
  readonly onSessionEnded: () => void;
}

const PAGE_TITLES = { scoreboard: 'Scoreboard', challenge: 'Challenge', challenges: 'Challenges', announcements: 'Announcements' } as const;

/** Moves focus to the new page's heading so keyboard and screen-reader users land on the content. */
function usePageFocus(route: Route, gameTitle: string): void {
  const routeKey = route.name === 'challenge' ? `challenge-${route.id}` : route.name;
  const firstRoute = useRef(true);
  useEffect(() => {
    document.title = `${PAGE_TITLES[route.name]} · ${gameTitle}`;
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    window.scrollTo({ top: 0 });
    requestAnimationFrame(() => document.getElementById('page-title')?.focus({ preventScroll: true }));
  }, [routeKey, gameTitle]);
}

export function Play(props: PlayProps): JSX.Element {
  const { api, session } = props;
  const me = session.displayname;
  // The board row that is this player's: their team's in team mode (SPEC §9).
  const myRow = session.team ?? me;
  const route = useHashRoute();
  const { toasts, show: toast, dismiss } = useToasts();
  const list = useChallengeList(api, me, toast, session.team);
  const { challenges, refresh } = list;
  const { live, clock, news } = usePlayLive({
    api,
    username: session.username,
    wsUrl: session.wsUrl,
    list,
    toast,
    onReset: props.onReset,
    onSessionEnded: props.onSessionEnded,
  });
  const [ownTotal, setOwnTotal] = useOwnTotal(api, live.standings, myRow, challenges, clock.clock?.frozen === true);

  const onSolved = useCallback(
    (total: number) => {
      setOwnTotal(total);
      void refresh();
    },
    [refresh],
  );

  usePageFocus(route, props.config.title);

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
        {route.name === 'scoreboard' && <Scoreboard standings={live.standings} me={myRow} status={live.status} clock={clock.clock} />}
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
