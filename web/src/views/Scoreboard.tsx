/** Live scoreboard: top-10 chart, full standings table and a feed of the latest solves. */
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { BLOOD_LABEL, bloodOf } from '../event/blood.js';
import type { Clock } from '../event/clock.js';
import type { ConnectionStatus } from '../live/connection.js';
import { divisionsOf, inDivision, topSeries, type StandingsState } from '../live/standings.js';
import { useChangedRows, useNow } from '../live/useBoardTicks.js';
import { ActivityIcon, BulbIcon, ChartIcon, DropIcon, FlagIcon, TrophyIcon } from '../ui/icons.js';
import { formatClock } from '../util/format.js';
import { FrozenNote } from './event/ClockViews.js';
import { ScoreChart, SERIES_COLORS } from './ScoreChart.js';

export interface ScoreboardProps {
  readonly standings: StandingsState;
  readonly me: string | null;
  readonly status: ConnectionStatus;
  readonly clock: Clock | null;
}

/** All divisions, or one of them: filters the table and chart and renumbers the ranks (SPEC §9). */
function DivisionSwitch(props: { readonly divisions: readonly string[]; readonly value: string | null; readonly onChange: (d: string | null) => void }): JSX.Element {
  const options: Array<string | null> = [null, ...props.divisions];
  return (
    <div class="division-switch" role="group" aria-label="Division" data-testid="division-switch">
      {options.map((d) => (
        <button key={d ?? ''} type="button" class={d === props.value ? 'chip-button active' : 'chip-button'} aria-pressed={d === props.value} onClick={() => props.onChange(d)}>
          {d ?? 'All'}
        </button>
      ))}
    </div>
  );
}

export function Scoreboard(props: ScoreboardProps): JSX.Element {
  const { me } = props;
  const divisions = useMemo(() => divisionsOf(props.standings.rows), [props.standings.rows]);
  const [picked, setPicked] = useState<string | null>(null);
  const division = picked !== null && divisions.includes(picked) ? picked : null;
  const standings = useMemo(() => inDivision(props.standings, division), [props.standings, division]);
  const now = useNow(30_000);
  // Recompute only when the standings object changes (or the clock ticks), not on every render.
  const series = useMemo(() => topSeries(standings, Math.max(now, Date.now())), [standings, now]);
  const changed = useChangedRows(standings.rows, 1800);
  const colorOf = new Map(series.map((s, i) => [s.displayname, SERIES_COLORS[i % SERIES_COLORS.length] ?? '#fff']));
  const mine = me === null ? undefined : standings.rows.find((r) => r.displayname === me);

  return (
    <section class="page scoreboard" aria-labelledby="page-title">
      <div class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Scoreboard
          </h1>
          <p class="muted">
            {standings.rows.length} {standings.rows.length === 1 ? 'player' : 'players'} on the board{division !== null ? ` in ${division}` : ''} · updates live
          </p>
          {divisions.length > 0 && <DivisionSwitch divisions={divisions} value={division} onChange={setPicked} />}
        </div>
        <div class="head-right">
          {mine && (
            <div class="my-rank card" data-testid="my-rank">
              <span class="muted small">Your rank</span>
              <strong class="gradient-text">#{mine.pos}</strong>
              <span class="muted small">{mine.score} pts</span>
            </div>
          )}
        </div>
      </div>

      {props.status !== 'live' && props.status !== 'connecting' && (
        <p class="notice info stale-note" role="status">
          {props.status === 'offline'
            ? 'No connection to the live scoreboard. Retrying in the background — the board may be out of date.'
            : 'Reconnecting to live updates…'}
        </p>
      )}

      {props.clock !== null && <FrozenNote clock={props.clock} />}

      <div class="board-grid">
        <section class="card chart-card" aria-labelledby="chart-title">
          <h2 id="chart-title" class="card-title">
            <ChartIcon size={17} /> Top 10 over time
          </h2>
          <ScoreChart series={series} me={me} />
        </section>

        <ActivityFeed recent={standings.recent} />
        <StandingsTable rows={standings.rows} me={me} changed={changed} colorOf={colorOf} />
      </div>
    </section>
  );
}

/** The newest solves and hints; first bloods are tagged. */
function ActivityFeed(props: { readonly recent: StandingsState['recent'] }): JSX.Element {
  const { recent } = props;
  return (
    <section class={recent.length === 0 ? 'card feed-card is-empty' : 'card feed-card'} aria-labelledby="feed-title">
      <h2 id="feed-title" class="card-title">
        <ActivityIcon size={17} /> Latest activity
      </h2>
      {recent.length === 0 ? (
        <div class="feed-empty muted small">
          <ActivityIcon size={26} />
          <p>New solves and hints appear here the moment they happen.</p>
        </div>
      ) : (
        <ul class="feed" data-testid="activity-feed">
          {recent.map((e) => {
            const blood = bloodOf(e);
            return (
              <li key={e.id} class={e.type === 'score' ? `feed-item solve${blood !== null ? ` blood blood-${blood}` : ''}` : 'feed-item hint'}>
                <span class="feed-icon" aria-hidden="true">
                  {blood !== null ? <DropIcon size={14} /> : e.type === 'score' ? <FlagIcon size={14} /> : <BulbIcon size={14} />}
                </span>
                <span class="feed-text">
                  {blood !== null && <span class="blood-tag" data-testid="blood-tag">{BLOOD_LABEL[blood]}</span>}
                  <strong>{e.displayname}</strong> {e.type === 'score' ? 'solved' : 'revealed a hint for'}{' '}
                  <em>{e.challenge}</em>
                </span>
                <span class={e.points >= 0 ? 'feed-pts plus' : 'feed-pts minus'}>
                  {e.points >= 0 ? `+${e.points}` : e.points}
                </span>
                <time class="feed-time muted small" dateTime={new Date(e.ts).toISOString()}>
                  {formatClock(e.ts)}
                </time>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** Every player on the board; this player's row highlighted, changed rows flash. */
interface TableProps {
  readonly rows: StandingsState['rows'];
  readonly me: string | null;
  readonly changed: ReadonlySet<string>;
  readonly colorOf: ReadonlyMap<string, string>;
}

function StandingsTable(props: TableProps): JSX.Element {
  const { me, changed, colorOf } = props;
  return (
    <section class="card table-card" aria-labelledby="table-title">
      <h2 id="table-title" class="card-title">
        <TrophyIcon size={17} /> Standings
      </h2>
      {props.rows.length === 0 ? (
        <p class="muted empty-table">No scores yet. The first solve takes the lead!</p>
      ) : (
        <div class="table-scroll">
          <table class="standings" data-testid="standings">
            <thead>
              <tr>
                <th scope="col" class="num">
                  Rank
                </th>
                <th scope="col">{props.rows.some((r) => r.team !== undefined) ? 'Team' : 'Player'}</th>
                <th scope="col" class="num">
                  Score
                </th>
                <th scope="col" class="num hide-sm">
                  Solves
                </th>
                <th scope="col" class="num hide-sm">
                  Last score
                </th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((r) => {
                const isMe = r.displayname === me;
                const cls = [isMe ? 'me' : '', changed.has(r.displayname) ? 'flash' : '', r.pos <= 3 ? `podium p${r.pos}` : '']
                  .filter(Boolean)
                  .join(' ');
                const color = colorOf.get(r.displayname);
                return (
                  <tr key={r.displayname} class={cls} data-testid="standing-row" data-name={r.displayname} aria-current={isMe ? 'true' : undefined}>
                    <td class="num rank">
                      <span class="rank-badge">{r.pos}</span>
                    </td>
                    <td>
                      <span class="player">
                        {color !== undefined && <span class="swatch" style={{ background: color }} aria-hidden="true" />}
                        <span class="player-name" data-testid="row-name">
                          {r.displayname}
                        </span>
                        {isMe && <span class="you-tag">you</span>}
                      </span>
                      {r.members !== undefined && r.members.length > 0 && (
                        <span class="members muted small" data-testid="row-members">
                          {r.members.join(', ')}
                        </span>
                      )}
                    </td>
                    <td class="num score" data-testid="row-score">
                      {r.score.toLocaleString('en-US')}
                    </td>
                    <td class="num hide-sm" data-testid="row-solves">
                      {r.solves}
                    </td>
                    <td class="num hide-sm muted">{formatClock(r.last_ts)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
