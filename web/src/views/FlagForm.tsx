/** The flag submission form with every outcome the SPEC defines, announced via aria-live. */
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Api } from '../api/client.js';
import { describeFailure } from '../api/messages.js';
import { Confetti } from '../ui/Confetti.js';
import { CheckIcon } from '../ui/icons.js';
import { useCountdown } from '../ui/useCountdown.js';

type Outcome =
  | { readonly kind: 'correct'; readonly points: number; readonly total: number }
  | { readonly kind: 'incorrect' }
  | { readonly kind: 'already'; readonly total: number }
  | { readonly kind: 'error'; readonly text: string };

export interface FlagFormProps {
  readonly api: Api;
  readonly challengeId: number;
  readonly solved: boolean;
  readonly onSolved: (total: number) => void;
  /** the server says the list we show is stale (locked / unknown): refetch it */
  readonly onStale: () => void;
}

export function FlagForm(props: FlagFormProps): JSX.Element {
  const [flag, setFlag] = useState('');
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [celebrations, setCelebrations] = useState(0);
  const [shake, setShake] = useState(0);
  const [wait, startWait] = useCountdown();
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (pending || wait > 0) return;
    if (flag.trim() === '') {
      setOutcome({ kind: 'error', text: 'Enter a flag first.' });
      inputRef.current?.focus();
      return;
    }
    setPending(true);
    const res = await props.api.submit(props.challengeId, flag);
    setPending(false);
    if (res.ok) {
      const v = res.value;
      if (v.result === 'correct') {
        setOutcome({ kind: 'correct', points: v.points, total: v.total });
        setCelebrations((n) => n + 1);
        setFlag('');
        props.onSolved(v.total);
      } else if (v.result === 'already_solved') {
        setOutcome({ kind: 'already', total: v.total });
        props.onSolved(v.total);
      } else {
        setOutcome({ kind: 'incorrect' });
        setShake((n) => n + 1);
        inputRef.current?.select();
      }
      return;
    }
    const f = res.failure;
    setOutcome({ kind: 'error', text: describeFailure(f, 'submit') });
    if (f.kind === 'http' && f.status === 429) startWait(f.retryAfter);
    if (f.kind === 'http' && (f.status === 403 || f.status === 400)) props.onStale();
  };

  return (
    <form class="flag-form" onSubmit={(ev) => void submit(ev)} noValidate>
      <h2 class="section-title">Submit flag</h2>
      {props.solved && (
        <p class="solved-banner" data-testid="solved-banner">
          <CheckIcon size={18} /> You solved this challenge.
        </p>
      )}
      <div class="flag-row">
        <label for="flag-input" class="sr-only">
          Flag
        </label>
        <input
          id="flag-input"
          key={`shake-${shake}`}
          ref={inputRef}
          class={shake > 0 && outcome?.kind === 'incorrect' ? 'shake' : ''}
          name="flag"
          placeholder="Enter the flag here"
          autoComplete="off"
          autoCapitalize="none"
          spellcheck={false}
          value={flag}
          onInput={(e) => setFlag(e.currentTarget.value)}
          aria-describedby="flag-result"
        />
        <button class="btn primary" type="submit" disabled={pending || wait > 0}>
          {pending ? 'Checking…' : wait > 0 ? `Wait ${wait} s` : 'Submit'}
        </button>
      </div>
      <div id="flag-result" class="flag-result" role="status" aria-live="polite" data-testid="flag-result">
        {outcome?.kind === 'correct' && (
          <p class="result success" data-result="correct">
            <strong>Correct!</strong> +{outcome.points} points — your score is now {outcome.total}.
          </p>
        )}
        {outcome?.kind === 'incorrect' && (
          <p class="result error" data-result="incorrect">
            Not quite — that flag is incorrect. Try again.
          </p>
        )}
        {outcome?.kind === 'already' && (
          <p class="result info" data-result="already_solved">
            You already solved this one. Your score is {outcome.total}.
          </p>
        )}
        {outcome?.kind === 'error' && (
          <p class="result error" data-result="error">
            {outcome.text}
            {wait > 0 && <span class="countdown"> ({wait} s)</span>}
          </p>
        )}
      </div>
      {celebrations > 0 && outcome?.kind === 'correct' && <Confetti key={celebrations} />}
    </form>
  );
}
