/**
 * Transient notifications ("New challenge unlocked", announcements, first bloods), announced politely
 * to screen readers. They sit at the top, under the nav, where they cover no table or form.
 */
import type { JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { BellIcon, DropIcon } from './icons.js';

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'success' | 'info' | 'warn' | 'announcement' | 'blood';
  /** a bold first line, e.g. "Announcement" */
  readonly title?: string;
  readonly href?: string;
}

function ToastIcon(props: { readonly tone: Toast['tone'] }): JSX.Element | null {
  if (props.tone === 'announcement') return <BellIcon size={18} class="toast-icon" />;
  if (props.tone === 'blood') return <DropIcon size={18} class="toast-icon" />;
  return null;
}

function ToastBody(props: { readonly t: Toast }): JSX.Element {
  return (
    <>
      {props.t.title !== undefined && <strong class="toast-title">{props.t.title}</strong>}
      <span class="toast-text">{props.t.text}</span>
    </>
  );
}

export function Toasts(props: { readonly toasts: readonly Toast[]; readonly onDismiss: (id: number) => void }): JSX.Element {
  return (
    <div class="toasts" aria-live="polite" aria-atomic="false">
      {props.toasts.map((t) => (
        <div key={t.id} class={`toast ${t.tone}`} data-testid="toast" data-tone={t.tone}>
          <ToastIcon tone={t.tone} />
          {t.href !== undefined ? (
            <a class="toast-main" href={t.href} onClick={() => props.onDismiss(t.id)}>
              <ToastBody t={t} />
            </a>
          ) : (
            <span class="toast-main">
              <ToastBody t={t} />
            </span>
          )}
          <button type="button" class="toast-close" aria-label="Dismiss" onClick={() => props.onDismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

const TOAST_MS = 6000;
const TOAST_MAX = 4;

export interface ToastsHandle {
  readonly toasts: readonly Toast[];
  readonly show: (t: Omit<Toast, 'id'>, ms?: number) => void;
  readonly dismiss: (id: number) => void;
}

/** At most four toasts at a time (the oldest goes first), each leaving on its own after a while. */
export function useToasts(): ToastsHandle {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seq = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  const show = useCallback(
    (t: Omit<Toast, 'id'>, ms = TOAST_MS) => {
      const id = ++seq.current;
      setToasts((list) => [...list.slice(-(TOAST_MAX - 1)), { ...t, id }]);
      const timer = setTimeout(() => {
        timers.current.delete(timer);
        dismiss(id);
      }, ms);
      timers.current.add(timer);
    },
    [dismiss],
  );
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach(clearTimeout);
  }, []);
  return { toasts, show, dismiss };
}
