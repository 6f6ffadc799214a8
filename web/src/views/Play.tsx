/**
 * The signed-in shell: nav, banner, the routed view, toasts. Owns the challenge list (refetched
 * after solves and on this player's live events) and the live scoreboard connection.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ChallengeView } from '../../../src/protocol/api.js';
import type { LiveEvent } from '../../../src/protocol/messages.js';
import type { Api, AppConfig } from '../api/client.js';
import { describeFailure } from '../api/messages.js';
import { findRow } from '../live/standings.js';
import { useLive } from '../live/useLive.js';
import { Nav } from '../ui/Nav.js';
import { Toasts, type Toast } from '../ui/Toasts.js';
import { useHashRoute } from '../ui/useHashRoute.js';
import { scoreFromChallenges } from '../util/format.js';
import { ChallengeDetail } from './ChallengeDetail.js';
import { Challenges } from './Challenges.js';
import { Scoreboard } from './Scoreboard.js';

export interface PlayProps {
  readonly api: Api;
  readonly session: { readonly username: string; readonly displayname: string; readonly wsUrl: string };
  readonly config: AppConfig;
  readonly onLogout: () => void;
  readonly onReset: () => void;
  readonly onSessionEnded: () => void;
}

const TOAST_MS = 6000;

export function Play(props: PlayProps): JSX.Element {
  const { api, session } = props;
  const me = session.displayname;
  const route = useHashRoute();
  const [challenges, setChallenges] = useState<ChallengeView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [newIds, setNewIds] = useState<ReadonlySet<number>>(new Set());
  const [ownTotal, setOwnTotal] = useState<number | null>(null);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const knownIds = useRef<Set<number> | null>(null);
  const toastSeq = useRef(0);

  const toast = useCallback((t: Omit<Toast, 'id'>) => {
    const id = ++toastSeq.current;
    setToasts((list) => [...list.slice(-3), { ...t, id }]);
    setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), TOAST_MS);
  }, []);

  const fetchOnce = useCallback(async () => {
    const res = await api.challenges();
    if (!res.ok) {
      if (res.failure.kind === 'http' && res.failure.status === 401) return; // signing out already
      setLoadError(describeFailure(res.failure, 'load'));
      return;
    }
    const list = res.value;
    const known = knownIds.current;
    if (known !== null) {
      const unlocked = list.filter((c) => !known.has(c.id));
      if (unlocked.length > 0) {
        setNewIds((prev) => new Set([...prev, ...unlocked.map((c) => c.id)]));
        for (const c of unlocked) toast({ tone: 'success', text: `New challenge unlocked: ${c.title}`, href: `#challenge-${c.id}` });
      }
    }
    knownIds.current = new Set(list.map((c) => c.id));
    setChallenges(list);
    setLoadError(null);
  }, [api, toast]);

  // Refreshes are serialised: a request arriving mid-flight schedules exactly one more fetch, and
  // every caller's promise resolves once data at least as new as its request is on screen.
  const inflight = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const refresh = useCallback((): Promise<void> => {
    if (inflight.current) {
      again.current = true;
      return inflight.current;
    }
    const run = async (): Promise<void> => {
      do {
        again.current = false;
        await fetchOnce();
      } while (again.current);
      inflight.current = null;
    };
    inflight.current = run();
    return inflight.current;
  }, [fetchOnce]);

  useEffect(() => void refresh(), [refresh]);

  // Own events (a solve in another tab, a judge award with reload:"true", a hint) change what this
  // player may see; a short debounce folds a burst into one refetch.
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onEvents = useCallback(
    (events: readonly LiveEvent[]) => {
      if (!events.some((e) => e.displayname === me)) return;
      if (refetchTimer.current !== null) clearTimeout(refetchTimer.current);
      refetchTimer.current = setTimeout(() => {
        refetchTimer.current = null;
        void refresh();
      }, 150);
    },
    [me, refresh],
  );
  useEffect(
    () => () => {
      if (refetchTimer.current !== null) clearTimeout(refetchTimer.current);
    },
    [],
  );

  const live = useLive(api, session.wsUrl, { onEvents, onReset: props.onReset, onLoggedOut: props.onSessionEnded });

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
    const title = route.name === 'scoreboard' ? 'Scoreboard' : route.name === 'challenge' ? 'Challenge' : 'Challenges';
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
      <Nav route={route} displayname={me} points={ownTotal} status={live.status} onLogout={props.onLogout} />
      {props.config.banner !== null && (
        <div class="banner">
          <img src={props.config.banner} alt={`${props.config.title} banner`} />
        </div>
      )}
      <main id="main" class="main">
        {route.name === 'challenges' && (
          <Challenges challenges={challenges} error={loadError} newIds={newIds} onRetry={() => void refresh()} />
        )}
        {route.name === 'challenge' && (
          <ChallengeDetail api={api} id={route.id} challenges={challenges} points={ownTotal} onSolved={onSolved} refresh={refresh} />
        )}
        {route.name === 'scoreboard' && <Scoreboard standings={live.standings} me={me} status={live.status} />}
      </main>
      <footer class="footer muted small">
        <span>
          {props.config.title} · powered by <strong>ctfg</strong>
        </span>
      </footer>
      <Toasts toasts={toasts} onDismiss={(id) => setToasts((list) => list.filter((t) => t.id !== id))} />
    </div>
  );
}
