/** Every judged submit: a live tail over the admin socket, filters, and paging back with before_id. */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminChallenge, AdminSubmission } from '../../../../src/protocol/console.js';
import type { PageProps } from '../AdminShell.js';
import { adminFailure, formatTs } from '../format.js';
import { matchesFilter, mergeSubmissions, NO_FILTER, oldestId, type SubmissionFilter } from '../submissions.js';
import { useLoad } from '../useLoad.js';

const PAGE = 100;

function Filters(props: { readonly filter: SubmissionFilter; readonly challenges: readonly AdminChallenge[]; readonly onChange: (f: SubmissionFilter) => void }): JSX.Element {
  const [username, setUsername] = useState(props.filter.username);
  const { filter, onChange } = props;
  return (
    <form
      class="admin-toolbar"
      onSubmit={(ev) => {
        ev.preventDefault();
        onChange({ ...filter, username: username.trim() });
      }}
    >
      <div class="field grow">
        <label for="sub-user">Player (username)</label>
        <input id="sub-user" type="search" value={username} onInput={(e) => setUsername(e.currentTarget.value)} onBlur={() => onChange({ ...filter, username: username.trim() })} />
      </div>
      <div class="field">
        <label for="sub-challenge">Challenge</label>
        <select id="sub-challenge" value={filter.challengeId ?? ''} onChange={(e) => onChange({ ...filter, challengeId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}>
          <option value="">All challenges</option>
          {props.challenges.map((c) => (
            <option key={c.id} value={c.id}>
              {c.id} · {c.title}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="sub-result">Result</label>
        <select id="sub-result" value={filter.result ?? ''} onChange={(e) => onChange({ ...filter, result: e.currentTarget.value === '' ? null : (e.currentTarget.value as 'correct' | 'incorrect') })}>
          <option value="">All results</option>
          <option value="correct">Correct</option>
          <option value="incorrect">Incorrect</option>
        </select>
      </div>
    </form>
  );
}

function SubmissionRow(props: { readonly s: AdminSubmission; readonly title: string; readonly fresh: boolean }): JSX.Element {
  const { s } = props;
  return (
    <tr class={props.fresh ? 'flash' : ''} data-testid="submission-row" data-result={s.result} data-username={s.username}>
      <td class="nowrap">{formatTs(s.ts)}</td>
      <td>
        <span class="strong">{s.displayname ?? s.username}</span>
        <div class="muted small">{s.username}</div>
      </td>
      <td>{props.title}</td>
      <td>
        <span class={`chip result-${s.result}`}>{s.result}</span>
      </td>
      <td>
        <code class="flag-text" data-testid="submission-flag">
          {s.flag}
        </code>
      </td>
      <td class="muted small">{s.address}</td>
    </tr>
  );
}

export function SubmissionsPage(props: PageProps): JSX.Element {
  const [filter, setFilter] = useState<SubmissionFilter>(NO_FILTER);
  const [rows, setRows] = useState<AdminSubmission[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const fresh = useRef(new Set<number>());
  const challenges = useLoad(() => props.api.challenges(), [props.api]);
  const titles = new Map((challenges.data?.challenges ?? []).map((c) => [c.id, c.title]));
  const query = { username: filter.username || undefined, challengeId: filter.challengeId ?? undefined, result: filter.result ?? undefined, limit: PAGE };

  useEffect(() => {
    let live = true;
    fresh.current.clear();
    setRows([]);
    void props.api.submissions(query).then((res) => {
      if (!live) return;
      if (!res.ok) return setError(adminFailure(res.failure));
      setError(null);
      setRows((current) => mergeSubmissions(current, res.value.submissions));
      setMore(res.value.submissions.length === PAGE);
    });
    const off = props.live.subscribe({
      onSubmission: (s) => {
        if (!matchesFilter(s, filter)) return;
        fresh.current.add(s.id);
        setRows((current) => mergeSubmissions(current, [s]));
      },
    });
    return () => {
      live = false;
      off();
    };
    // `query` is derived from `filter`.
  }, [props.api, props.live, filter]);

  const older = async (): Promise<void> => {
    const before = oldestId(rows);
    if (before === null) return;
    const res = await props.api.submissions({ ...query, beforeId: before });
    if (!res.ok) return setError(adminFailure(res.failure));
    setRows((current) => mergeSubmissions(current, res.value.submissions, Number.MAX_SAFE_INTEGER));
    setMore(res.value.submissions.length === PAGE);
  };

  return (
    <section class="card admin-card">
      <Filters filter={filter} challenges={challenges.data?.challenges ?? []} onChange={setFilter} />
      <p class="muted small" role="status">
        <span class={`dot-live ${props.live.status}`} aria-hidden="true" /> New submissions appear at the top as they are judged.
      </p>
      {error !== null && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <div class="table-scroll">
        <table class="standings admin-table" data-testid="submissions-table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Player</th>
              <th>Challenge</th>
              <th>Result</th>
              <th>Flag</th>
              <th>Address</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <SubmissionRow key={s.id} s={s} title={titles.get(s.challenge_id) ?? `#${s.challenge_id}`} fresh={fresh.current.has(s.id)} />
            ))}
          </tbody>
        </table>
        {rows.length === 0 && error === null && <p class="muted empty-table">No submissions match.</p>}
      </div>
      {more && (
        <div class="admin-pager">
          <button type="button" class="btn small ghost" onClick={() => void older()}>
            Load older
          </button>
        </div>
      )}
    </section>
  );
}
