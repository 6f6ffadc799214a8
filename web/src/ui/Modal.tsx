/**
 * An accessible modal dialog: focus moves in on open, Tab cycles inside, focus cannot escape (even by
 * clicking behind), Escape cancels, and focus returns to where it was on close.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface ModalProps {
  readonly titleId: string;
  readonly onCancel: () => void;
  readonly children: ComponentChildren;
  readonly class?: string;
  /** a `data-autofocus` element gets focus first; otherwise the first focusable one */
  readonly describedBy?: string;
}

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('inert'));
}

export function Modal(props: ModalProps): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const cancelRef = useRef(props.onCancel);
  cancelRef.current = props.onCancel;

  // Layout effect: focus must be inside before the browser handles the next key press, or a fast
  // Tab could still land behind the dialog.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(dialog)[0] ?? dialog;
    first.focus();

    const onKey = (ev: KeyboardEvent): void => {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        ev.stopPropagation();
        cancelRef.current();
        return;
      }
      if (ev.key !== 'Tab') return;
      const items = focusables(dialog);
      const head = items[0];
      const tail = items[items.length - 1];
      if (!head || !tail) {
        ev.preventDefault();
        return;
      }
      const active = document.activeElement;
      if (ev.shiftKey && (active === head || !dialog.contains(active))) {
        ev.preventDefault();
        tail.focus();
      } else if (!ev.shiftKey && (active === tail || !dialog.contains(active))) {
        ev.preventDefault();
        head.focus();
      }
    };
    // Focus that lands outside (a click on the backdrop, a script) is pulled back in.
    const onFocusIn = (ev: FocusEvent): void => {
      if (ev.target instanceof Node && !dialog.contains(ev.target)) {
        (focusables(dialog)[0] ?? dialog).focus();
      }
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <div class="modal-backdrop">
      <div
        ref={ref}
        class={`modal ${props.class ?? ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={props.titleId}
        aria-describedby={props.describedBy}
        tabIndex={-1}
      >
        {props.children}
      </div>
    </div>
  );
}
