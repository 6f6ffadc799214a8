/** Top bar: brand, main navigation, connection pill, the player's name and live points, logout. */
import type { JSX } from 'preact';
import type { ConnectionStatus } from '../live/connection.js';
import type { Route } from '../router.js';
import { FlagIcon, Logo, LogoutIcon, TrophyIcon, UserIcon } from './icons.js';

export interface NavProps {
  readonly route: Route;
  readonly displayname: string;
  readonly points: number | null;
  readonly status: ConnectionStatus;
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
  const onChallenges = props.route.name !== 'scoreboard';
  return (
    <header class="topbar">
      <div class="topbar-inner">
        <a class="brand" href="#challenges" aria-label="ctfg home">
          <Logo size={30} />
          <span class="brand-name">ctfg</span>
        </a>
        <nav class="main-nav" aria-label="Main">
          <a href="#challenges" class={onChallenges ? 'nav-link active' : 'nav-link'} aria-current={onChallenges ? 'page' : undefined}>
            <FlagIcon size={16} />
            <span>Challenges</span>
          </a>
          <a href="#scoreboard" class={!onChallenges ? 'nav-link active' : 'nav-link'} aria-current={!onChallenges ? 'page' : undefined}>
            <TrophyIcon size={16} />
            <span>Scoreboard</span>
          </a>
        </nav>
        <div class="nav-right">
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
