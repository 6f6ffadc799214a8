/** The reset (POST /admin/reset): the admin token again, and the word typed as confirmation. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { RESET_CONFIRM_WORD } from '../../../../src/protocol/console.js';
import type { PageProps } from '../AdminShell.js';
import { adminFailure } from '../format.js';

export function ResetPage(props: PageProps): JSX.Element {
  const [token, setToken] = useState('');
  const [word, setWord] = useState('');
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'info'; text: string } | null>(null);
  const ready = word === RESET_CONFIRM_WORD && token !== '' && !pending;

  const reset = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (!ready) return;
    setPending(true);
    const res = await props.api.reset(token);
    setPending(false);
    setToken('');
    setWord('');
    if (res.ok) setMessage({ tone: 'info', text: 'The game was reset. Every player was logged out.' });
    else setMessage({ tone: 'error', text: res.failure.kind === 'http' && res.failure.status === 401 ? 'Wrong admin token.' : adminFailure(res.failure) });
  };

  return (
    <section class="card admin-card admin-reset">
      <p class="notice error">
        Deletes every solve, hint purchase, adjustment, submission, announcement and display name, logs every player out and clears the reveal. The audit log, admin sessions,
        bans, blocked names, hidden challenges and the schedule stay. It cannot be undone: take a backup first (<code>ctfg export</code>).
      </p>
      <form onSubmit={(ev) => void reset(ev)} noValidate>
        <div class="field">
          <label for="reset-token">Admin token</label>
          <input id="reset-token" type="password" autoComplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="reset-word">
            Type <code>{RESET_CONFIRM_WORD}</code> to confirm
          </label>
          <input id="reset-word" autoComplete="off" spellcheck={false} value={word} onInput={(e) => setWord(e.currentTarget.value)} />
        </div>
        {message !== null && (
          <p class={`notice ${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="reset-result">
            {message.text}
          </p>
        )}
        <button type="submit" class="btn danger" disabled={!ready}>
          {pending && <span class="spinner" aria-hidden="true" />}
          Reset the game
        </button>
      </form>
    </section>
  );
}
