/** Players: search, score, last seen; ban with reason, unban, clear name, unranked, adjust with reason. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AdminPlayer } from '../../../../src/protocol/console.js';
import type { PageProps } from '../AdminShell.js';
import { formatAgo } from '../format.js';
import { useLoad } from '../useLoad.js';
import { PlayerDialog, type PlayerAction } from './PlayerDialogs.js';

const PAGE_SIZE = 50;
const SEARCH_DEBOUNCE_MS = 250;

function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function Status(props: { readonly p: AdminPlayer }): JSX.Element {
  const { p } = props;
  return (
    <span class="admin-badges">
      {p.banned && (
        <span class="chip banned" title={p.ban_reason ?? ''} data-testid="banned-badge">
          banned
        </span>
      )}
      {p.unranked === true && <span class="chip unranked">unranked</span>}
      {!p.banned && p.unranked !== true && <span class="muted small">active</span>}
    </span>
  );
}

function Row(props: { readonly p: AdminPlayer; readonly act: (a: PlayerAction, p: AdminPlayer) => void }): JSX.Element {
  const { p, act } = props;
  return (
    <tr data-testid="player-row" data-username={p.username}>
      <td>
        <span class="strong">{p.username}</span>
        {p.ban_reason !== null && p.banned && <div class="muted small">{p.ban_reason}</div>}
      </td>
      <td>{p.displayname ?? <span class="muted">(no name)</span>}</td>
      <td class="num score">{p.score.toLocaleString('en-US')}</td>
      <td class="num">{p.solves}</td>
      <td class="nowrap">{formatAgo(p.last_seen)}</td>
      <td>
        <Status p={p} />
      </td>
      <td class="admin-row-actions">
        <button type="button" class="btn small" onClick={() => act('adjust', p)}>
          Adjust
        </button>
        {p.banned ? (
          <button type="button" class="btn small" onClick={() => act('unban', p)}>
            Unban
          </button>
        ) : (
          <button type="button" class="btn small ghost danger-text" onClick={() => act('ban', p)}>
            Ban
          </button>
        )}
        <button type="button" class="btn small ghost" disabled={p.displayname === null} onClick={() => act('clear-name', p)}>
          Clear name
        </button>
        <button type="button" class="btn small ghost" onClick={() => act('unranked', p)}>
          {p.unranked === true ? 'Rank' : 'Unrank'}
        </button>
        <button type="button" class="btn small ghost" onClick={() => act('award', p)}>
          Award
        </button>
        <button type="button" class="btn small ghost" disabled={p.solves === 0} onClick={() => act('revoke', p)}>
          Revoke
        </button>
      </td>
    </tr>
  );
}

export function PlayersPage(props: PageProps): JSX.Element {
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const [acting, setActing] = useState<{ action: PlayerAction; player: AdminPlayer } | null>(null);
  const search = useDebounced(query.trim(), SEARCH_DEBOUNCE_MS);
  useEffect(() => setOffset(0), [search]);
  const list = useLoad(() => props.api.players(search, PAGE_SIZE, offset), [props.api, search, offset]);
  const total = list.data?.total ?? 0;
  const challenges = useLoad(() => props.api.challenges(), [props.api]);

  return (
    <section class="card admin-card">
      <div class="admin-toolbar">
        <div class="field grow">
          <label for="player-search">Search players</label>
          <input id="player-search" type="search" placeholder="username or display name" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        </div>
        <p class="muted small" aria-live="polite">
          {list.data === null ? '' : `${total} player${total === 1 ? '' : 's'}`}
        </p>
      </div>
      {list.error !== null && (
        <p class="notice error" role="alert">
          {list.error}
        </p>
      )}
      <div class="table-scroll">
        <table class="standings admin-table" data-testid="players-table">
          <thead>
            <tr>
              <th>Username</th>
              <th>Display name</th>
              <th class="num">Score</th>
              <th class="num">Solves</th>
              <th>Last seen</th>
              <th>Status</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>{list.data?.players.map((p) => <Row key={p.username} p={p} act={(action, player) => setActing({ action, player })} />)}</tbody>
        </table>
      </div>
      <div class="admin-pager">
        <button type="button" class="btn small ghost" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
          Previous
        </button>
        <span class="muted small">{total === 0 ? '' : `${offset + 1}–${Math.min(total, offset + PAGE_SIZE)} of ${total}`}</span>
        <button type="button" class="btn small ghost" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
          Next
        </button>
      </div>
      {acting !== null && (
        <PlayerDialog
          api={props.api}
          action={acting.action}
          player={acting.player}
          challenges={challenges.data?.challenges ?? []}
          onClose={() => setActing(null)}
          onDone={(text) => {
            props.toasts.show({ tone: 'success', text });
            list.reload();
          }}
        />
      )}
    </section>
  );
}
