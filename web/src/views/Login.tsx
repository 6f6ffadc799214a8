/** The sign-in page: the only thing an anonymous visitor sees. */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LoginResponse } from '../../../src/protocol/api.js';
import { InputLimits } from '../../../src/protocol/limits.js';
import type { Api } from '../api/client.js';
import { describeFailure } from '../api/messages.js';
import { useEventClock } from '../event/useClock.js';
import { Logo } from '../ui/icons.js';
import { useCountdown } from '../ui/useCountdown.js';
import { Countdown } from './event/ClockViews.js';

/** Without a socket on this page, the schedule is re-read now and then (the admin may move the start). */
const SCHEDULE_POLL_MS = 30_000;

export interface LoginProps {
  readonly api: Api;
  readonly title: string;
  readonly banner: string | null;
  /** e.g. "the game was reset", shown above the form */
  readonly notice: string | null;
  readonly onLoggedIn: (resp: LoginResponse, username: string) => void;
}

export function Login(props: LoginProps): JSX.Element {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [wait, startWait] = useCountdown();
  const userRef = useRef<HTMLInputElement>(null);
  const { clock, face } = useEventClock(props.api, { pollMs: SCHEDULE_POLL_MS });

  useEffect(() => userRef.current?.focus(), []);

  const submit = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (pending || wait > 0) return;
    const user = username.trim();
    if (user === '' || password === '') {
      setError('Enter your username and password.');
      return;
    }
    setPending(true);
    setError(null);
    const res = await props.api.login(user, password);
    setPending(false);
    if (res.ok) {
      props.onLoggedIn(res.value, user);
      return;
    }
    setError(describeFailure(res.failure, 'login'));
    if (res.failure.kind === 'http' && res.failure.status === 429) startWait(res.failure.retryAfter);
  };

  return (
    <main class="login-page" id="main">
      <div class="login-glow" aria-hidden="true" />
      <div class="login-wrap">
        {props.banner !== null && (
          <div class="login-banner">
            <img src={props.banner} alt="" />
          </div>
        )}
        <form class="card login-card" onSubmit={(ev) => void submit(ev)} noValidate aria-labelledby="login-title">
          <div class="login-brand">
            <Logo size={44} />
            <div>
              <h1 id="login-title">{clock?.title ?? props.title}</h1>
              <p class="muted">{clock?.state === 'ended' ? 'The event is over. Sign in to see the final board.' : 'Sign in to start capturing flags'}</p>
            </div>
          </div>
          {clock?.state === 'before' && face !== null && <Countdown clock={clock} face={face} compact />}
          {props.notice !== null && (
            <p class="notice info" role="status">
              {props.notice}
            </p>
          )}
          <div class="field">
            <label for="login-username">Username</label>
            <input
              id="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              maxLength={InputLimits.username}
              spellcheck={false}
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
              required
              ref={userRef}
            />
          </div>
          <div class="field">
            <label for="login-password">Password</label>
            <input
              id="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              maxLength={InputLimits.password}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              required
            />
          </div>
          <div class="form-status" aria-live="assertive">
            {error !== null && (
              <p class="notice error" role="alert" data-testid="login-error">
                {error}
                {wait > 0 && <span class="countdown"> ({wait} s)</span>}
              </p>
            )}
          </div>
          <button class="btn primary block" type="submit" disabled={pending || wait > 0}>
            {pending ? <span class="spinner" aria-hidden="true" /> : null}
            {pending ? 'Signing in…' : wait > 0 ? `Try again in ${wait} s` : 'Sign in'}
          </button>
        </form>
        <p class="login-foot muted">Powered by ctfg · Capture The Flag</p>
      </div>
    </main>
  );
}
