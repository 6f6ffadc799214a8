/** The projector view's panels: header clock, standings, ticker, announcement strip, first-blood banner. */
import type { JSX } from 'preact';
import type { Announcement } from '../../../src/protocol/api.js';
import type { StandingRow } from '../../../src/protocol/messages.js';
import { BLOOD_SHORT, type TickerItem } from '../event/blood.js';
import { formatDuration, type Clock, type ClockFace } from '../event/clock.js';
import type { ConnectionStatus } from '../live/connection.js';
import { BellIcon, DropIcon, FlagIcon, Logo, SnowIcon } from '../ui/icons.js';
import { formatClock } from '../util/format.js';

function faceText(face: ClockFace | null): { label: string; value: string } {
  if (face === null) return { label: '', value: '' };
  switch (face.kind) {
    case 'countdown':
      return { label: 'Starts in', value: formatDuration(face.ms) };
    case 'starting':
      return { label: 'Starting', value: 'now' };
    case 'time-left':
      return { label: 'Time left', value: formatDuration(face.ms) };
    case 'open':
      return { label: 'Running', value: formatClock(Date.now()).slice(0, 5) };
    case 'paused':
      return { label: 'Paused', value: face.endsIn === null ? '—' : formatDuration(face.endsIn) };
    case 'ended':
      return { label: 'Event', value: 'over' };
  }
}

export function BoardHeader(props: {
  readonly title: string;
  readonly clock: Clock | null;
  readonly face: ClockFace | null;
  readonly status: ConnectionStatus;
}): JSX.Element {
  const { label, value } = faceText(props.face);
  const kind = props.face?.kind ?? 'none';
  return (
    <header class="bd-header">
      <div class="bd-brand">
        <Logo size={64} />
        <h1 class="bd-title">{props.title}</h1>
      </div>
      <div class="bd-header-right">
        {props.clock?.frozen === true && (
          <span class="bd-frozen" data-testid="board-frozen">
            <SnowIcon size={28} /> frozen
          </span>
        )}
        <div class={`bd-clock ${kind}`} data-testid="board-clock" data-kind={kind}>
          <span class="bd-clock-label">{label}</span>
          <span class="bd-clock-value">{value}</span>
        </div>
        <span class={`bd-live ${props.status}`} data-testid="conn-status" data-status={props.status} title={props.status}>
          <span class="dot" aria-hidden="true" />
        </span>
      </div>
    </header>
  );
}

export function BoardStandings(props: { readonly rows: readonly StandingRow[]; readonly changed: ReadonlySet<string>; readonly colorOf: ReadonlyMap<string, string> }): JSX.Element {
  if (props.rows.length === 0) {
    return (
      <section class="bd-panel bd-standings is-empty">
        <p class="bd-empty">No scores yet — the first solve takes the lead.</p>
      </section>
    );
  }
  return (
    <section class="bd-panel bd-standings" aria-label="Standings">
      <ol class="bd-rows" data-testid="board-standings">
        {props.rows.map((r) => (
          <li
            key={r.displayname}
            class={`bd-row${r.pos <= 3 ? ` podium p${r.pos}` : ''}${props.changed.has(r.displayname) ? ' flash' : ''}`}
            data-testid="board-row"
            data-name={r.displayname}
          >
            <span class="bd-pos">{r.pos}</span>
            <span class="bd-swatch" style={{ background: props.colorOf.get(r.displayname) ?? 'transparent' }} aria-hidden="true" />
            <span class="bd-name">{r.displayname}</span>
            <span class="bd-solves" title="solves">
              <FlagIcon size={18} />
              {r.solves}
            </span>
            <span class="bd-score">{r.score.toLocaleString('en-US')}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function BoardTicker(props: { readonly items: readonly TickerItem[] }): JSX.Element {
  return (
    <section class="bd-panel bd-ticker" aria-label="Latest solves">
      <h2 class="bd-panel-title">
        <FlagIcon size={26} /> Latest solves
      </h2>
      {props.items.length === 0 ? (
        <p class="bd-empty small">Solves appear here as they happen.</p>
      ) : (
        <ul class="bd-ticker-list" data-testid="board-ticker">
          {props.items.map((t) => (
            <li key={t.id} class={t.blood !== null ? `bd-tick blood blood-${t.blood}` : 'bd-tick'} data-testid="ticker-item" data-blood={t.blood ?? ''}>
              {t.blood !== null && (
                <span class="bd-blood">
                  <DropIcon size={22} /> {BLOOD_SHORT[t.blood]}
                </span>
              )}
              <span class="bd-tick-text">
                <strong>{t.displayname}</strong> solved <em>{t.challenge}</em>
              </span>
              <span class="bd-tick-pts">+{t.points}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function BoardAnnouncement(props: { readonly latest: Announcement | null; readonly fresh: boolean; readonly html: string }): JSX.Element | null {
  if (props.latest === null) return null;
  return (
    <footer class={props.fresh ? 'bd-announcement fresh' : 'bd-announcement'} data-testid="board-announcement">
      <span class="bd-announcement-icon">
        <BellIcon size={34} />
      </span>
      {/* Safe: `html` is DOMPurify output (markdown/render.ts), the same path as descriptions. */}
      <div class="bd-announcement-text prose" dangerouslySetInnerHTML={{ __html: props.html }} />
      <time class="bd-announcement-time">{formatClock(props.latest.ts).slice(0, 5)}</time>
    </footer>
  );
}

export function BloodBanner(props: { readonly text: string | null }): JSX.Element | null {
  if (props.text === null) return null;
  return (
    <div class="bd-blood-banner" role="status" data-testid="board-blood-banner">
      <DropIcon size={44} />
      <span>{props.text}</span>
    </div>
  );
}
