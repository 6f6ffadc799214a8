/**
 * Hints in the order they must be bought: revealed ones show their text, the next one can be
 * revealed (with a confirmation when it costs points), later ones are visibly locked.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { HintView } from '../../../src/protocol/api.js';
import type { Api } from '../api/client.js';
import { describeFailure } from '../api/messages.js';
import { BulbIcon, LockIcon } from '../ui/icons.js';
import { Markdown } from '../ui/Markdown.js';
import { Modal } from '../ui/Modal.js';
import { useCountdown } from '../ui/useCountdown.js';

export interface HintsProps {
  readonly api: Api;
  readonly challengeId: number;
  readonly hints: readonly HintView[];
  readonly points: number | null;
  /** refetch the challenge list so the bought hint's text appears */
  readonly onChanged: () => Promise<void>;
}

export function Hints(props: HintsProps): JSX.Element | null {
  const [pending, setPending] = useState<number | null>(null);
  const [error, setError] = useState<{ readonly hintId: number; readonly text: string } | null>(null);
  const [confirming, setConfirming] = useState<HintView | null>(null);
  const [wait, startWait] = useCountdown();

  if (props.hints.length === 0) return null;
  const nextIndex = props.hints.findIndex((h) => h.text === undefined);

  const buy = async (hint: HintView): Promise<void> => {
    setConfirming(null);
    setPending(hint.id);
    setError(null);
    const res = await props.api.hint(props.challengeId, hint.id);
    if (res.ok) {
      await props.onChanged();
      setPending(null);
      return;
    }
    setPending(null);
    const f = res.failure;
    let text = describeFailure(f, 'hint');
    if (f.kind === 'http' && f.status === 402 && props.points !== null) {
      text = `Not enough points: this hint costs ${hint.cost} pts and you have ${props.points}.`;
    }
    if (f.kind === 'http' && f.status === 429) startWait(f.retryAfter);
    if (f.kind === 'http' && (f.code === 'already_purchased' || f.status === 403)) void props.onChanged();
    setError({ hintId: hint.id, text });
  };

  const reveal = (hint: HintView): void => {
    if (hint.cost > 0) setConfirming(hint);
    else void buy(hint);
  };

  return (
    <section class="hints" aria-labelledby="hints-title">
      <h2 id="hints-title" class="section-title">
        Hints
      </h2>
      <ol class="hint-list">
        {props.hints.map((h, i) => {
          const n = i + 1;
          if (h.text !== undefined) {
            return (
              <li key={h.id} class="hint revealed" data-testid="hint" data-state="revealed">
                <span class="hint-label">
                  <BulbIcon size={15} /> Hint {n}
                  {h.cost > 0 && <span class="muted small"> · {h.cost} pts</span>}
                </span>
                <Markdown source={h.text} class="hint-body" />
              </li>
            );
          }
          if (i === nextIndex) {
            const err = error?.hintId === h.id ? error.text : null;
            return (
              <li key={h.id} class="hint next" data-testid="hint" data-state="available">
                <div class="hint-row">
                  <span class="hint-label">
                    <span>
                      Hint {n} ({h.cost > 0 ? <span class="cost">{h.cost} pts</span> : <span class="free">free</span>})
                    </span>
                  </span>
                  <button
                    type="button"
                    class="btn reveal small"
                    onClick={() => reveal(h)}
                    disabled={pending !== null || wait > 0}
                    aria-label={`Reveal hint ${n}${h.cost > 0 ? ` for ${h.cost} points` : ' (free)'}`}
                  >
                    {pending === h.id ? 'Revealing…' : wait > 0 ? `Wait ${wait} s` : 'Reveal'}
                  </button>
                </div>
                <div aria-live="polite" class="hint-status">
                  {err !== null && (
                    <p class="result error small" role="alert" data-testid="hint-error">
                      {err}
                    </p>
                  )}
                </div>
              </li>
            );
          }
          return (
            <li key={h.id} class="hint locked" data-testid="hint" data-state="locked">
              <LockIcon size={14} /> <em>Locked – reveal earlier hints first</em>
            </li>
          );
        })}
      </ol>
      {confirming !== null && (
        <Modal titleId="confirm-title" describedBy="confirm-desc" onCancel={() => setConfirming(null)} class="confirm-modal">
          <h2 id="confirm-title">Reveal this hint?</h2>
          <p id="confirm-desc">
            It costs <strong class="cost">{confirming.cost} points</strong>
            {props.points !== null ? (
              <>
                {' '}
                — your score goes from {props.points} to {props.points - confirming.cost}.
              </>
            ) : (
              '.'
            )}
          </p>
          <div class="modal-actions">
            <button type="button" class="btn ghost" onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button type="button" class="btn reveal" data-autofocus onClick={() => void buy(confirming)}>
              Reveal for {confirming.cost} pts
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
