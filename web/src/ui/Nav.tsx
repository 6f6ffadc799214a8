/** Top bar: brand, main navigation, connection pill, the player's name and live points, logout. */
import type { JSX } from 'preact';
import type { ClockFace } from '../event/clock.js';
import type { ConnectionStatus } from '../live/connection.js';
import type { Route } from '../router.js';
import { ClockChip } from '../views/event/ClockViews.js';
import { BellIcon, FlagIcon, Logo, LogoutIcon, TrophyIcon, UserIcon } from './icons.js';

export interface NavProps {
  readonly route: Route;
  readonly displayname: string;
  readonly points: number | null;
  readonly status: ConnectionStatus;
  readonly face: ClockFace | null;
  /** unread announcements */
  readonly unread: number;
  readonly onLogout: () => void;
}

const STATUS_LABEL: Record<ConnectionStatus, string> = {
  connecting: 'connecting',
  live: 'live',
  reconnecting: 'reconnecting',
  offline: 'offline',
};

export function StatusPill(props: { readonly status: ConnectionStatus }): JSX.Element {
  const s = props.status;
  return (
    <span
      class={`status-pill ${s}`}
      role="status"
      data-testid="conn-status"
      data-status={s}
      title={s === 'live' ? 'Live updates are on' : s === 'offline' ? 'No connection to the live scoreboard' : 'Connecting to live updates…'}
    >
      <span class="dot" aria-hidden="true" />
      <span class="label">{STATUS_LABEL[s]}</span>
    </span>
  );
}

export function Nav(props: NavProps): JSX.Element {
  const section = props.route.name === 'challenge' ? 'challenges' : props.route.name;
  const link = (name: typeof section): { class: string; 'aria-current': 'page' | undefined } => ({
    class: section === name ? 'nav-link active' : 'nav-link',
    'aria-current': section === name ? 'page' : undefined,
  });
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="#challenges" aria-label="ctfg home">
          <Logo size={30} />
          <span class="brand-name">ctfg</span>
        </a>
        <nav class="main-nav" aria-label="Main">
          <a href="#challenges" {...link('challenges')}>
            <FlagIcon size={16} />
            <span>Challenges</span>
          </a>
          <a href="#scoreboard" {...link('scoreboard')}>
            <TrophyIcon size={16} />
            <span>Scoreboard</span>
          </a>
          <a href="#announcements" {...link('announcements')} data-testid="nav-announcements">
            <BellIcon size={16} />
            <span>News</span>
            {props.unread > 0 && (
              <span class="unread-badge" data-testid="unread-count" aria-label={`${props.unread} unread`}>
                {props.unread}
              </span>
            )}
          </a>
        </nav>
        <div class="nav-right">
          {props.face !== null && <ClockChip face={props.face} />}
          <StatusPill status={props.status} />
          <span class="user-chip" data-testid="user-chip">
            <UserIcon size={15} />
            <span class="user-name" data-testid="nav-name">
              {props.displayname}
            </span>
            <span class="user-points" data-testid="nav-points">
              {props.points === null ? '…' : `${props.points.toLocaleString('en-US')} pts`}
            </span>
          </span>
          <button type="button" class="btn ghost small logout" onClick={props.onLogout}>
            <LogoutIcon size={16} />
            <span>Logout</span>
          </button>
        </div>
      </div>
    </header>
  );
}
