/**
 * The projector view `/board` (SPEC §7): 1920×1080, big type, no scrollbars, no interaction. It
 * runs on a viewer stream (public_scoreboard) or on the session of whoever opened it.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Announcement } from '../../../src/protocol/api.js';
import type { AnnouncementMessage, LiveEvent } from '../../../src/protocol/messages.js';
import type { Api } from '../api/client.js';
import { useAnnouncementList } from '../event/useAnnouncements.js';
import { applyTicker, firstBloods, type TickerItem } from '../event/blood.js';
import { useEventClock } from '../event/useClock.js';
import { topSeries } from '../live/standings.js';
import { useChangedRows, useNow } from '../live/useBoardTicks.js';
import { useLive } from '../live/useLive.js';
import { renderMarkdown } from '../markdown/render.js';
import { Logo } from '../ui/icons.js';
import { ScoreChart, SERIES_COLORS } from '../views/ScoreChart.js';
import { Countdown } from '../views/event/ClockViews.js';
import { BloodBanner, BoardAnnouncement, BoardHeader, BoardStandings, BoardTicker } from './BoardParts.js';
import { BOARD_ROWS, boardFreshUrl, findBoardStream, type BoardSource } from './source.js';

const BLOOD_BANNER_MS = 9000;
const FRESH_ANNOUNCEMENT_MS = 20_000;
const RETRY_SOURCE_MS = 5000;

/** Which stream to watch; searched again after a reset or when the server could not be asked. */
function useBoardSource(api: Api): [BoardSource | null, () => void] {
  const [source, setSource] = useState<BoardSource | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let stale = false;
    void findBoardStream(api).then((s) => {
      if (!stale) setSource(s);
    });
    return () => {
      stale = true;
    };
  }, [api, generation]);
  useEffect(() => {
    if (source?.kind !== 'error') return undefined;
    const t = setTimeout(() => setGeneration((g) => g + 1), RETRY_SOURCE_MS);
    return () => clearTimeout(t);
  }, [source]);
  return [source, () => setGeneration((g) => g + 1)];
}

/** The announcements shown on the board; the list needs a session or public_scoreboard, live ones always arrive. */
function useBoardNews(api: Api): { latest: Announcement | null; fresh: boolean; refetch: () => void; apply: (m: AnnouncementMessage) => void } {
  const { list, refetch, apply: applyToList } = useAnnouncementList(api);
  const [freshId, setFreshId] = useState<number | null>(null);
  const apply = useCallback(
    (m: AnnouncementMessage) => {
      applyToList(m);
      if (!('deleted' in m)) setFreshId(m.id); // an edit is news on the projector too
    },
    [applyToList],
  );
  useEffect(() => {
    if (freshId === null) return undefined;
    const t = setTimeout(() => setFreshId(null), FRESH_ANNOUNCEMENT_MS);
    return () => clearTimeout(t);
  }, [freshId]);
  const latest = list[0] ?? null;
  return { latest, fresh: latest !== null && latest.id === freshId, refetch, apply };
}

/** The solve ticker and the first-blood banner, fed by live events. */
function useBoardFeed(): { ticker: readonly TickerItem[]; blood: string | null; onEvents: (events: readonly LiveEvent[]) => void } {
  const [ticker, setTicker] = useState<readonly TickerItem[]>([]);
  const [blood, setBlood] = useState<{ text: string; id: number } | null>(null);
  useEffect(() => {
    if (blood === null) return undefined;
    const t = setTimeout(() => setBlood(null), BLOOD_BANNER_MS);
    return () => clearTimeout(t);
  }, [blood]);
  const onEvents = useCallback((events: readonly LiveEvent[]) => {
    setTicker((t) => applyTicker(t, events));
    const last = firstBloods(events).pop();
    if (last !== undefined) setBlood(last);
  }, []);
  return { ticker, blood: blood?.text ?? null, onEvents };
}

export function Board(props: { readonly api: Api; readonly title: string }): JSX.Element {
  const { api } = props;
  const [source, research] = useBoardSource(api);
  const clock = useEventClock(api);
  const news = useBoardNews(api);
  const feed = useBoardFeed();

  useEffect(() => {
    document.documentElement.classList.add('board-mode');
    return () => document.documentElement.classList.remove('board-mode');
  }, []);

  const { refetch: refetchNews } = news;
  const refetchClock = clock.refetch;
  const onOpen = useCallback(() => {
    refetchNews();
    refetchClock();
  }, [refetchNews, refetchClock]);

  const wsUrl = source?.kind === 'url' ? source.url : null;
  const freshUrl = useMemo(() => boardFreshUrl(api), [api]);
  const live = useLive(
    api,
    wsUrl,
    { onEvents: feed.onEvents, onReset: research, onLoggedOut: research, onOpen, onClock: clock.apply, onAnnouncement: news.apply },
    freshUrl,
  );

  const now = useNow(20_000);
  const series = useMemo(() => topSeries(live.standings, Math.max(now, Date.now())), [live.standings, now]);
  const colorOf = useMemo(() => new Map(series.map((s, i) => [s.displayname, SERIES_COLORS[i % SERIES_COLORS.length] ?? '#fff'])), [series]);
  const rows = live.standings.rows.slice(0, BOARD_ROWS);
  const changed = useChangedRows(rows, 2400);
  const html = useMemo(() => (news.latest === null ? '' : renderMarkdown(news.latest.text)), [news.latest]);
  const title = clock.clock?.title ?? props.title;

  useEffect(() => {
    document.title = `Board · ${title}`;
  }, [title]);

  if (source?.kind === 'signin') return <BoardSignIn title={title} />;
  const before = clock.clock?.state === 'before' && clock.face !== null;
  return (
    <main class="board" data-testid="board">
      <BoardHeader title={title} clock={clock.clock} face={clock.face} status={live.status} />
      <BloodBanner text={feed.blood} />
      <div class="bd-grid">
        <BoardStandings rows={rows} changed={changed} colorOf={colorOf} />
        <div class="bd-side">
          <section class="bd-panel bd-chart">
            {before && clock.clock !== null && clock.face !== null ? <Countdown clock={clock.clock} face={clock.face} compact /> : <ScoreChart series={series} me={null} big />}
          </section>
          <BoardTicker items={feed.ticker} />
        </div>
      </div>
      <BoardAnnouncement latest={news.latest} fresh={news.fresh} html={html} />
    </main>
  );
}

function BoardSignIn(props: { readonly title: string }): JSX.Element {
  return (
    <main class="board board-signin" data-testid="board-signin">
      <Logo size={96} />
      <h1>{props.title}</h1>
      <p>This board needs a sign-in: sign in as a player or an organizer in this browser, then open /board again.</p>
      <p class="muted">Organizers can make it public with <code>public_scoreboard: true</code> in event.yaml.</p>
      <a class="btn primary" href="/">
        Sign in
      </a>
    </main>
  );
}
