/**
 * The player's challenge list: fetched at start, refetched (serialised) after solves, on this
 * player's live events, on `reload` messages and on clock changes; newly visible challenges get a
 * "New" badge and a toast.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ChallengeView } from '../../../src/protocol/api.js';
import type { LiveEvent } from '../../../src/protocol/messages.js';
import type { Api } from '../api/client.js';
import { describeFailure } from '../api/messages.js';
import type { ToastsHandle } from '../ui/Toasts.js';

export interface ChallengeList {
  readonly challenges: ChallengeView[] | null;
  readonly loadError: string | null;
  readonly newIds: ReadonlySet<number>;
  /** resolves once data at least as new as the call is on screen */
  readonly refresh: () => Promise<void>;
  /** live events: those of this player refetch the list after a short debounce */
  readonly onEvents: (events: readonly LiveEvent[]) => void;
}

const OWN_EVENT_DEBOUNCE_MS = 150;

/**
 * Serialises refreshes: a request arriving mid-flight schedules exactly one more fetch, and every
 * caller's promise resolves once data at least as new as its request is on screen.
 */
function useSerialRefresh(fetchOnce: () => Promise<void>): () => Promise<void> {
  const inflight = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  return useCallback((): Promise<void> => {
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
}

/** `team`: in team mode a teammate's solve or hint changes this player's list too (SPEC §9). */
export function useChallengeList(api: Api, me: string, toast: ToastsHandle['show'], team: string | null = null): ChallengeList {
  const [challenges, setChallenges] = useState<ChallengeView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [newIds, setNewIds] = useState<ReadonlySet<number>>(new Set());
  const knownIds = useRef<Set<number> | null>(null);

  const fetchOnce = useCallback(async () => {
    const res = await api.challenges();
    if (!res.ok) {
      if (res.failure.kind === 'http' && res.failure.status === 401) return; // signing out already
      setLoadError(describeFailure(res.failure, 'load'));
      return;
    }
    const list = res.value;
    const known = knownIds.current;
    // An empty list before means the event just started: a toast per challenge would only be noise.
    if (known !== null && known.size > 0) {
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

  const refresh = useSerialRefresh(fetchOnce);
  useEffect(() => void refresh(), [refresh]);

  // Own events (a solve in another tab, a judge award with reload:"true", a hint) change what this
  // player may see; a short debounce folds a burst into one refetch.
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onEvents = useCallback(
    (events: readonly LiveEvent[]) => {
      if (!events.some((e) => e.displayname === me || (team !== null && e.team === team))) return;
      if (refetchTimer.current !== null) clearTimeout(refetchTimer.current);
      refetchTimer.current = setTimeout(() => {
        refetchTimer.current = null;
        void refresh();
      }, OWN_EVENT_DEBOUNCE_MS);
    },
    [me, team, refresh],
  );
  useEffect(
    () => () => {
      if (refetchTimer.current !== null) clearTimeout(refetchTimer.current);
    },
    [],
  );

  return { challenges, loadError, newIds, refresh, onEvents };
}
