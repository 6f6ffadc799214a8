/** Organizer sign-in: the admin token and who is acting (for the audit log). The token is never kept or shown back. */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Logo } from '../ui/icons.js';
import { useCountdown } from '../ui/useCountdown.js';
import { describeFailure } from '../api/messages.js';
import type { AdminApi } from './api.js';

const NAME_KEY = 'ctfg-admin-name';
const NAME_MAX = 40;

function savedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

export interface AdminLoginProps {
  readonly api: AdminApi;
  readonly notice: string | null;
  readonly onSignedIn: (wsUrl: string) => void;
}

export function AdminLogin(props: AdminLoginProps): JSX.Element {
  const [token, setToken] = useState('');
  const [name, setName] = useState(savedName);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wait, startWait] = useCountdown();
  const tokenRef = useRef<HTMLInputElement>(null);
  useEffect(() => tokenRef.current?.focus(), []);

  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (pending || wait > 0) return;
    if (token === '' || name.trim() === '') {
      setError('Enter the admin token and your name.');
      return;
    }
    setPending(true);
    setError(null);
    const res = await props.api.login(token, name.trim());
    // Forget the token at once, whatever the answer: it is never shown back.
    setToken('');
    if (res.ok) {
      try {
        localStorage.setItem(NAME_KEY, name.trim());
      } catch {
        // private mode: the name is only a convenience
      }
      const stream = await props.api.streamUrl();
      setPending(false);
      if (stream.ok) props.onSignedIn(stream.value.websocket_url);
      else setError(describeFailure(stream.failure, 'load'));
      return;
    }
    setPending(false);
    const f = res.failure;
    setError(f.kind === 'http' && f.status === 401 ? 'Wrong admin token.' : f.kind === 'http' && f.status === 403 ? 'The admin console is not configured: set CTFG_ADMIN_TOKEN and restart.' : describeFailure(f, 'login'));
    if (f.kind === 'http' && f.status === 429) startWait(f.retryAfter);
  };

  return (
    <main class="login-page" id="main">
      <div class="login-glow" aria-hidden="true" />
      <div class="login-wrap">
        <form class="card login-card" onSubmit={(ev) => void submit(ev)} noValidate aria-labelledby="admin-login-title">
          <div class="login-brand">
            <Logo size={44} />
            <div>
              <h1 id="admin-login-title">Admin console</h1>
              <p class="muted">Run, moderate and rescue the event</p>
            </div>
          </div>
          {props.notice !== null && (
            <p class="notice info" role="status">
              {props.notice}
            </p>
          )}
          <div class="field">
            <label for="admin-token">Admin token</label>
            <input id="admin-token" type="password" autoComplete="off" spellcheck={false} value={token} ref={tokenRef} onInput={(e) => setToken(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="admin-name">Your name</label>
            <input id="admin-name" autoComplete="nickname" maxLength={NAME_MAX} value={name} onInput={(e) => setName(e.currentTarget.value)} />
            <p class="hint-text">Recorded in the audit log with every action you take.</p>
          </div>
          <div class="form-status" aria-live="assertive">
            {error !== null && (
              <p class="notice error" role="alert" data-testid="admin-login-error">
                {error}
                {wait > 0 && <span class="countdown"> ({wait} s)</span>}
              </p>
            )}
          </div>
          <button class="btn primary block" type="submit" disabled={pending || wait > 0}>
            {pending && <span class="spinner" aria-hidden="true" />}
            {pending ? 'Signing in…' : wait > 0 ? `Try again in ${wait} s` : 'Sign in'}
          </button>
        </form>
        <p class="login-foot muted">
          <a href="/">Back to the game</a>
        </p>
      </div>
    </main>
  );
}
