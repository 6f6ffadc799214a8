/** The challenge board: visible challenges grouped by category, as keyboard-reachable cards. */
import type { JSX } from 'preact';
import type { ChallengeView } from '../../../src/protocol/api.js';
import { difficultyTone, formatPoints, groupByCategory } from '../util/format.js';
import { BulbIcon, CheckIcon, LockIcon, SparkIcon } from '../ui/icons.js';
import { PointsChip } from './ChallengeStats.js';

export interface ChallengesProps {
  readonly challenges: readonly ChallengeView[] | null;
  readonly error: string | null;
  readonly newIds: ReadonlySet<number>;
  readonly onRetry: () => void;
}

export function ChallengeCard(props: { readonly c: ChallengeView; readonly isNew: boolean }): JSX.Element {
  const { c } = props;
  const tone = difficultyTone(c.difficulty);
  const bought = c.hints.filter((h) => h.text !== undefined).length;
  return (
    <a
      href={`#challenge-${c.id}`}
      class={`ch-card tone-${tone}${c.solved ? ' solved' : ''}${props.isNew ? ' is-new' : ''}`}
      data-testid="challenge-card"
      data-id={c.id}
      data-solved={c.solved ? 'true' : 'false'}
    >
      <span class="ch-card-top">
        <span class={`diff diff-${tone}`}>{c.difficulty}</span>
        <PointsChip c={c} />
      </span>
      <span class="ch-title">{c.title}</span>
      <span class="ch-card-foot">
        {c.solved ? (
          <span class="solved-badge">
            <CheckIcon size={14} /> Solved
          </span>
        ) : (
          <span class="muted small">Not solved yet</span>
        )}
        {props.isNew && !c.solved && (
          <span class="new-badge">
            <SparkIcon size={12} /> New
          </span>
        )}
        {c.hints.length > 0 && (
          <span class="hint-count" title={`${bought} of ${c.hints.length} hints revealed`}>
            <BulbIcon size={13} /> {bought}/{c.hints.length}
          </span>
        )}
      </span>
    </a>
  );
}

function SkeletonGrid(): JSX.Element {
  return (
    <div class="ch-grid" aria-hidden="true">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} class="ch-card skeleton" />
      ))}
    </div>
  );
}

export function Challenges(props: ChallengesProps): JSX.Element {
  const list = props.challenges;
  const solved = list?.filter((c) => c.solved).length ?? 0;
  const earned = list?.filter((c) => c.solved).reduce((sum, c) => sum + c.points, 0) ?? 0;
  const pct = list && list.length > 0 ? Math.round((solved / list.length) * 100) : 0;

  return (
    <section class="page" aria-labelledby="page-title">
      <div class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Challenges
          </h1>
          <p class="muted">Pick a challenge, find the flag, climb the board.</p>
        </div>
        {list && list.length > 0 && (
          <div class="progress-card card" aria-label={`Solved ${solved} of ${list.length} visible challenges`}>
            <div class="progress-nums">
              <span>
                <strong>{solved}</strong>/{list.length} solved
              </span>
              <span class="gradient-text strong">{formatPoints(earned)}</span>
            </div>
            <div class="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <span style={{ width: `${pct}%` }} />
            </div>
          </div>
        )}
      </div>

      {props.error !== null && (
        <div class="notice error" role="alert">
          {props.error}{' '}
          <button type="button" class="btn small ghost" onClick={props.onRetry}>
            Retry
          </button>
        </div>
      )}

      {list === null && props.error === null && <SkeletonGrid />}

      {list?.length === 0 && (
        <div class="empty card">
          <LockIcon size={28} />
          <p>No challenges are open yet. Check back soon!</p>
        </div>
      )}

      {list && list.length > 0 && (
        <div class="categories">
          {groupByCategory(list).map(([category, items]) => {
          const done = items.filter((c) => c.solved).length;
          return (
            // Small categories share a row; big ones take the width they need (see views.css).
            <section class="category" key={category} aria-label={category} style={{ '--n': Math.min(items.length, 4) }}>
              <h2 class="category-title" title={category}>
                <span class="category-name">{category}</span>
                <span class="category-count">
                  {done}/{items.length}
                </span>
              </h2>
              <div class="ch-grid">
                {items.map((c) => (
                  <ChallengeCard key={c.id} c={c} isNew={props.newIds.has(c.id)} />
                ))}
              </div>
            </section>
          );
        })}
        </div>
      )}

      {list && list.length > 0 && (
        <p class="muted center small unlock-note">
          <LockIcon size={14} /> More challenges unlock as you solve their prerequisites.
        </p>
      )}
    </section>
  );
}
