/** Live counters, submissions per minute, the clock with its controls, and the live top 10. */
import type { JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import type { AdminOverview } from '../../../../src/protocol/console.js';
import type { StandingRow } from '../../../../src/protocol/messages.js';
import type { PageProps } from '../AdminShell.js';
import { ClockPanel } from './ClockPanel.js';
import { SpmChart } from './SpmChart.js';
import { useLoad } from '../useLoad.js';

/** Counters are re-read this often, and soon after live activity. */
const REFRESH_MS = 5000;
const ACTIVITY_DELAY_MS = 800;

function Counters(props: { readonly o: AdminOverview }): JSX.Element {
  const items: Array<[string, number, string]> = [
    ['Players', props.o.players, 'players'],
    ['On the board', props.o.players_on_board, 'on-board'],
    ['Live sockets', props.o.sockets, 'sockets'],
    ['Solves', props.o.solves, 'solves'],
    ['Wrong flags', props.o.wrong_submissions, 'wrong'],
  ];
  return (
    <div class="admin-counters">
      {items.map(([label, value, id]) => (
        <div class="card admin-counter" key={id} data-testid={`counter-${id}`}>
          <span class="admin-counter-value">{value.toLocaleString('en-US')}</span>
          <span class="admin-counter-label">{label}</span>
        </div>
      ))}
    </div>
  );
}

export function TopTen(props: { readonly rows: readonly StandingRow[] }): JSX.Element {
  if (props.rows.length === 0) return <p class="muted empty-table">Nobody has scored yet.</p>;
  return (
    <div class="table-scroll">
      <table class="standings admin-table" data-testid="admin-standings">
        <thead>
          <tr>
            <th class="rank">#</th>
            <th>Player</th>
            <th class="num">Solves</th>
            <th class="num">Score</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.slice(0, 10).map((r) => (
            <tr key={r.displayname} data-testid="admin-standing-row" data-name={r.displayname}>
              <td class="rank">
                <span class="rank-badge">{r.pos}</span>
              </td>
              <td class="player-name">{r.displayname}</td>
              <td class="num">{r.solves}</td>
              <td class="num score" data-testid="admin-row-score">
                {r.score.toLocaleString('en-US')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OverviewPage(props: PageProps): JSX.Element {
  const overview = useLoad(() => props.api.overview(), [props.api]);
  const { reload } = overview;
  useEffect(() => {
    const every = setInterval(reload, REFRESH_MS);
    let soon: ReturnType<typeof setTimeout> | null = null;
    const nudge = (): void => {
      soon ??= setTimeout(() => {
        soon = null;
        reload();
      }, ACTIVITY_DELAY_MS);
    };
    const off = props.live.subscribe({ onActivity: nudge });
    return () => {
      clearInterval(every);
      if (soon !== null) clearTimeout(soon);
      off();
    };
  }, [reload, props.live]);

  const o = overview.data;
  // The overview's top 10 is live (never frozen) and re-read soon after any socket message, so it
  // also follows kinds the app's standings reducer may not fold in (adjustments, revokes); the
  // socket's own board fills in until the first answer.
  const rows = o?.standings ?? props.live.standings.rows;
  return (
    <div class="admin-overview">
      {overview.error !== null && (
        <p class="notice error" role="alert">
          {overview.error}
        </p>
      )}
      {o !== null && <Counters o={o} />}
      <div class="admin-grid">
        <section class="card admin-card" aria-labelledby="clock-title">
          <h2 id="clock-title">Clock</h2>
          <ClockPanel api={props.api} live={props.live} toasts={props.toasts} />
        </section>
        <section class="card admin-card" aria-labelledby="spm-title">
          <h2 id="spm-title">Submissions per minute</h2>
          <SpmChart series={o?.submissions_per_minute ?? []} />
        </section>
      </div>
      <section class="card admin-card" aria-labelledby="top-title">
        <h2 id="top-title">Top 10 (live, never frozen)</h2>
        <TopTen rows={rows} />
      </section>
    </div>
  );
}
