/** One challenge: description, extra content, hints and the flag form. */
import type { JSX } from 'preact';
import type { ChallengeView } from '../../../src/protocol/api.js';
import type { Api } from '../api/client.js';
import { ArrowLeftIcon, CheckIcon, LockIcon } from '../ui/icons.js';
import { Markdown } from '../ui/Markdown.js';
import { difficultyTone } from '../util/format.js';
import { FirstSolvers, PointsChip } from './ChallengeStats.js';
import { FlagForm } from './FlagForm.js';
import { Hints } from './Hints.js';

export interface ChallengeDetailProps {
  readonly api: Api;
  readonly id: number;
  readonly challenges: readonly ChallengeView[] | null;
  readonly points: number | null;
  readonly onSolved: (total: number) => void;
  readonly refresh: () => Promise<void>;
}

function BackLink(): JSX.Element {
  return (
    <a class="back-link" href="#challenges">
      <ArrowLeftIcon size={16} /> Back to Challenges
    </a>
  );
}

export function ChallengeDetail(props: ChallengeDetailProps): JSX.Element {
  const c = props.challenges?.find((x) => x.id === props.id);

  if (props.challenges === null) {
    return (
      <section class="page detail" aria-busy="true">
        <BackLink />
        <div class="card detail-card skeleton tall" />
      </section>
    );
  }
  if (!c) {
    return (
      <section class="page detail" aria-labelledby="page-title">
        <BackLink />
        <div class="card detail-card empty">
          <LockIcon size={30} />
          <h1 id="page-title" tabIndex={-1}>
            Challenge not available
          </h1>
          <p class="muted">It does not exist or is still locked. Solve its prerequisites to unlock it.</p>
        </div>
      </section>
    );
  }

  const tone = difficultyTone(c.difficulty);
  return (
    <section class="page detail" aria-labelledby="page-title" data-testid="challenge-detail" data-id={c.id}>
      <BackLink />
      <article class={`card detail-card${c.solved ? ' solved' : ''}`}>
        <header class="detail-head">
          <h1 id="page-title" tabIndex={-1}>
            {c.title}
          </h1>
          <div class="chips">
            <span class="chip">{c.category}</span>
            <span class={`diff diff-${tone}`}>{c.difficulty}</span>
            <PointsChip c={c} big />
            {c.solved && (
              <span class="solved-badge">
                <CheckIcon size={14} /> Solved
              </span>
            )}
          </div>
        </header>

        <section aria-labelledby="desc-title">
          <h2 id="desc-title" class="section-title">
            Description
          </h2>
          <Markdown source={c.description} class="description" />
        </section>

        {typeof c.content === 'string' && c.content.trim() !== '' && (
          <section aria-label="Challenge content" class="content-block">
            <Markdown source={c.content} class="content" />
          </section>
        )}

        <FirstSolvers c={c} />

        <Hints key={c.id} api={props.api} challengeId={c.id} hints={c.hints} points={props.points} onChanged={props.refresh} />

        <hr class="divider" />
        <FlagForm
          key={c.id}
          api={props.api}
          challengeId={c.id}
          solved={c.solved}
          onSolved={props.onSolved}
          onStale={() => void props.refresh()}
        />
      </article>
    </section>
  );
}
