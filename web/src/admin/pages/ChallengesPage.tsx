/** Challenges: solves, first solvers, hide/show, and the reload of the game files with its problem report. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { AdminChallenge, ReloadResponse } from '../../../../src/protocol/console.js';
import type { PageProps } from '../AdminShell.js';
import { ConfirmDialog } from '../Dialogs.js';
import { adminFailure, reloadProblems } from '../format.js';
import { useLoad } from '../useLoad.js';

type ReloadOutcome = { readonly kind: 'ok'; readonly value: ReloadResponse } | { readonly kind: 'problems'; readonly problems: readonly string[] };

function ReloadReport(props: { readonly outcome: ReloadOutcome }): JSX.Element {
  const { outcome } = props;
  if (outcome.kind === 'problems') {
    return (
      <div class="notice error" role="alert" data-testid="reload-problems">
        <p class="strong">The game files have problems; nothing was changed:</p>
        <ul>
          {outcome.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      </div>
    );
  }
  const v = outcome.value;
  return (
    <div class="notice info" role="status" data-testid="reload-ok">
      <p class="strong">
        Reloaded: {v.challenges} challenges, {v.players} players.
      </p>
      {v.changes.length > 0 ? (
        <ul>
          {v.changes.map((c, i) => (
            <li key={i}>{c}</li>
          ))}
        </ul>
      ) : (
        <p>No changes.</p>
      )}
    </div>
  );
}

function ChallengeRow(props: { readonly c: AdminChallenge; readonly onToggle: (c: AdminChallenge) => void }): JSX.Element {
  const { c } = props;
  return (
    <tr data-testid="admin-challenge-row" data-id={c.id} data-hidden={String(c.hidden)}>
      <td class="num">{c.id}</td>
      <td>
        <span class="strong">{c.title}</span>
        <div class="muted small">
          {c.category} · {c.difficulty}
        </div>
      </td>
      <td class="num">{c.points}</td>
      <td class="num">{c.solves}</td>
      <td>{c.first_solvers.length === 0 ? <span class="muted">—</span> : c.first_solvers.join(', ')}</td>
      <td>{c.hidden ? <span class="chip hidden-chip">hidden</span> : <span class="muted small">visible</span>}</td>
      <td>
        <button type="button" class={`btn small ${c.hidden ? '' : 'ghost'}`} onClick={() => props.onToggle(c)}>
          {c.hidden ? 'Show' : 'Hide'}
        </button>
      </td>
    </tr>
  );
}

export function ChallengesPage(props: PageProps): JSX.Element {
  const list = useLoad(() => props.api.challenges(), [props.api]);
  const [toggling, setToggling] = useState<AdminChallenge | null>(null);
  const [reloading, setReloading] = useState(false);
  const [outcome, setOutcome] = useState<ReloadOutcome | null>(null);

  const reload = async (): Promise<string | null> => {
    const res = await props.api.reload();
    if (res.ok) {
      setOutcome({ kind: 'ok', value: res.value });
      list.reload();
      return null;
    }
    const problems = res.failure.kind === 'http' && res.failure.status === 422 ? reloadProblems(res.body) : null;
    if (problems === null) return adminFailure(res.failure);
    setOutcome({ kind: 'problems', problems });
    return null;
  };
  const toggle = async (c: AdminChallenge): Promise<string | null> => {
    const res = await props.api.visibility(c.id, !c.hidden);
    if (!res.ok) return adminFailure(res.failure);
    props.toasts.show({ tone: 'success', text: `${c.title} is now ${c.hidden ? 'visible' : 'hidden'}.` });
    list.reload();
    return null;
  };

  return (
    <section class="card admin-card">
      <div class="admin-toolbar">
        <p class="muted grow">Edit challenges.json, credentials.csv or event.yaml in the game folder, then reload: a broken file changes nothing.</p>
        <button type="button" class="btn primary" onClick={() => setReloading(true)}>
          Reload game files
        </button>
      </div>
      {outcome !== null && <ReloadReport outcome={outcome} />}
      {list.error !== null && (
        <p class="notice error" role="alert">
          {list.error}
        </p>
      )}
      <div class="table-scroll">
        <table class="standings admin-table" data-testid="admin-challenges">
          <thead>
            <tr>
              <th class="num">#</th>
              <th>Challenge</th>
              <th class="num">Points</th>
              <th class="num">Solves</th>
              <th>First solvers</th>
              <th>Visibility</th>
              <th />
            </tr>
          </thead>
          <tbody>{list.data?.challenges.map((c) => <ChallengeRow key={c.id} c={c} onToggle={setToggling} />)}</tbody>
        </table>
      </div>
      {toggling !== null && (
        <ConfirmDialog title={toggling.hidden ? `Show "${toggling.title}"?` : `Hide "${toggling.title}"?`} confirmLabel={toggling.hidden ? 'Show' : 'Hide'} danger={!toggling.hidden} onConfirm={() => toggle(toggling)} onClose={() => setToggling(null)}>
          <p>{toggling.hidden ? 'Players see it again at once.' : 'It vanishes from every player’s list and submits to it are refused; solves already made still count.'}</p>
        </ConfirmDialog>
      )}
      {reloading && (
        <ConfirmDialog title="Reload the game files?" confirmLabel="Reload" onConfirm={reload} onClose={() => setReloading(false)}>
          <p>Re-reads challenges.json, credentials.csv and event.yaml on every instance. Scores follow the new points, and every player’s app refetches.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
