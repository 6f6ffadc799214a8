/**
 * Dynamic scoring and first solvers on the challenge pages (SPEC §9): the value chip explains why
 * points can go down, and the detail page names the first three solvers.
 */
import type { JSX } from 'preact';
import type { ChallengeView } from '../../../src/protocol/api.js';
import { decayedValue } from '../../../src/domain/scoring.js';
import { formatClock, formatPoints } from '../util/format.js';

/** Why a dynamic challenge's value falls, and what the next solve will make it. */
export function decayExplanation(c: Pick<ChallengeView, 'points' | 'solves' | 'decay'>): string | null {
  if (!c.decay) return null;
  const next = decayedValue(c.decay.initial, c.decay, c.solves + 1);
  const who = c.solves === 1 ? '1 solve' : `${c.solves} solves`;
  return (
    `Dynamic scoring: worth ${formatPoints(c.decay.initial)} at first, less with every solve, never below ${formatPoints(c.decay.minimum)}. ` +
    `Everyone who solved it holds its current value, so scores can go down when others solve it. ` +
    `${who} so far; the next solve makes it ${formatPoints(next)}.`
  );
}

export function PointsChip(props: { readonly c: ChallengeView; readonly big?: boolean }): JSX.Element {
  const { c } = props;
  const why = decayExplanation(c);
  const cls = `ch-points${props.big ? ' big' : ''}${why ? ' dynamic' : ''}`;
  if (!why) return <span class={cls}>{formatPoints(c.points)}</span>;
  return (
    <span class={cls} title={why} data-testid="points" aria-label={`${formatPoints(c.points)}. ${why}`}>
      {formatPoints(c.points)}
      <span class="decay-mark" aria-hidden="true">
        ↓
      </span>
    </span>
  );
}

const MEDALS = ['1st', '2nd', '3rd'] as const;

export function FirstSolvers(props: { readonly c: ChallengeView }): JSX.Element {
  const { c } = props;
  return (
    <section class="first-solvers" aria-labelledby="solvers-title" data-testid="first-solvers">
      <h2 id="solvers-title" class="section-title">
        Solved by {c.solves === 1 ? '1 player or team' : `${c.solves} players or teams`}
      </h2>
      {c.first_solvers.length === 0 ? (
        <p class="muted small">Nobody yet: be the first.</p>
      ) : (
        <ol class="solver-list">
          {c.first_solvers.map((s, i) => (
            <li key={s.name}>
              <span class={`medal medal-${i + 1}`}>{MEDALS[i]}</span> <span class="solver-name">{s.name}</span>{' '}
              <time class="muted small" dateTime={new Date(s.ts).toISOString()}>
                {formatClock(s.ts)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
