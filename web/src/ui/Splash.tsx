/** The full-page states before an app can show anything: loading, and a start-up error with a retry. */
import type { JSX } from 'preact';
import { Logo } from './icons.js';

export function LoadingSplash(): JSX.Element {
  return (
    <main class="splash" id="main" aria-busy="true">
      <Logo size={56} />
      <span class="spinner large" aria-hidden="true" />
      <span class="sr-only">Loading…</span>
    </main>
  );
}

export function ErrorSplash(props: { readonly message: string; readonly onRetry: () => void; readonly testId?: string }): JSX.Element {
  return (
    <main class="splash" id="main">
      <Logo size={56} />
      <p class="notice error" role="alert" data-testid={props.testId}>
        {props.message}
      </p>
      <button type="button" class="btn primary" onClick={props.onRetry}>
        Try again
      </button>
    </main>
  );
}
