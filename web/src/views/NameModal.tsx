/**
 * First-login (and after-reset) display-name dialog. The server owns the naming rules, so its 400
 * message is shown verbatim; cancelling logs out because an unnamed player cannot play.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { InputLimits } from '../../../src/protocol/limits.js';
import type { Api } from '../api/client.js';
import { describeFailure } from '../api/messages.js';
import { Modal } from '../ui/Modal.js';
import { useCountdown } from '../ui/useCountdown.js';

export interface NameModalProps {
  readonly api: Api;
  readonly username: string;
  readonly onNamed: (name: string) => void;
  readonly onCancel: () => void;
}

const MIN_LEN = InputLimits.displayNameMin;
const MAX_LEN = InputLimits.displayNameMax;

export function NameModal(props: NameModalProps): JSX.Element {
  const [name, setName] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wait, startWait] = useCountdown();

  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (pending || wait > 0) return;
    setPending(true);
    setError(null);
    const res = await props.api.setName(name);
    setPending(false);
    if (res.ok) {
      props.onNamed(name.trim().replace(/\s+/g, ' '));
      return;
    }
    setError(describeFailure(res.failure, 'name'));
    if (res.failure.kind === 'http' && res.failure.status === 429) startWait(res.failure.retryAfter);
  };

  const length = name.trim().replace(/\s+/g, ' ').length;
  return (
    <Modal titleId="name-title" describedBy="name-desc" onCancel={props.onCancel} class="name-modal">
      <form onSubmit={(ev) => void submit(ev)} noValidate>
        <h2 id="name-title">Choose your display name</h2>
        <p id="name-desc" class="muted">
          Signed in as <strong>{props.username}</strong>. This name appears on the public scoreboard and cannot be
          changed later.
        </p>
        <div class="field">
          <label for="display-name">Display name</label>
          <input
            id="display-name"
            name="displayname"
            maxLength={InputLimits.displayNameInput}
            autoComplete="nickname"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            aria-describedby="name-rules name-error"
            aria-invalid={error !== null}
            data-autofocus
          />
          <p id="name-rules" class="hint-text">
            <span class={length > MAX_LEN ? 'counter over' : 'counter'} aria-hidden="true">
              {length}/{MAX_LEN}
            </span>
            {MIN_LEN}–{MAX_LEN} characters: letters, digits, spaces and <code>- _ . , ' ! ? @ # ( )</code>
          </p>
        </div>
        <div id="name-error" class="form-status" aria-live="assertive">
          {error !== null && (
            <p class="notice error" role="alert" data-testid="name-error">
              {error}
              {wait > 0 && <span class="countdown"> ({wait} s)</span>}
            </p>
          )}
        </div>
        <div class="modal-actions">
          <button type="button" class="btn ghost" onClick={props.onCancel}>
            Cancel &amp; log out
          </button>
          <button type="submit" class="btn primary" disabled={pending || wait > 0}>
            {pending ? 'Saving…' : 'Start playing'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
