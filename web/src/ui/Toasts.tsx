/** Transient notifications (e.g. "New challenge unlocked"), announced politely to screen readers. */
import type { JSX } from 'preact';

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'success' | 'info' | 'warn';
  readonly href?: string;
}

export function Toasts(props: { readonly toasts: readonly Toast[]; readonly onDismiss: (id: number) => void }): JSX.Element {
  return (
    <div class="toasts" aria-live="polite" aria-atomic="false">
      {props.toasts.map((t) => (
        <div key={t.id} class={`toast ${t.tone}`}>
          {t.href !== undefined ? (
            <a href={t.href} onClick={() => props.onDismiss(t.id)}>
              {t.text}
            </a>
          ) : (
            <span>{t.text}</span>
          )}
          <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => props.onDismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
