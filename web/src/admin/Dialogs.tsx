/** Confirmation and small form dialogs for the console's actions, on the app's accessible Modal. */
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Modal } from '../ui/Modal.js';

export interface ConfirmProps {
  readonly title: string;
  readonly children: ComponentChildren;
  readonly confirmLabel: string;
  /** red button for actions that take something away */
  readonly danger?: boolean;
  /** resolves to an error message, or null when done (the dialog then closes) */
  readonly onConfirm: () => Promise<string | null>;
  readonly onClose: () => void;
  /** enables the confirm button (e.g. a required reason filled in) */
  readonly ready?: boolean;
}

/** Asks before acting; shows the server's answer if the action fails, and stays open. */
export function ConfirmDialog(props: ConfirmProps): JSX.Element {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (pending || props.ready === false) return;
    setPending(true);
    const problem = await props.onConfirm();
    setPending(false);
    if (problem === null) props.onClose();
    else setError(problem);
  };
  return (
    <Modal titleId="admin-dialog-title" onCancel={props.onClose} class="admin-dialog">
      <form onSubmit={(ev) => void confirm(ev)} noValidate data-testid="admin-dialog">
        <h2 id="admin-dialog-title">{props.title}</h2>
        {props.children}
        {error !== null && (
          <p class="notice error" role="alert" data-testid="dialog-error">
            {error}
          </p>
        )}
        <div class="modal-actions">
          <button type="button" class="btn ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class={`btn ${props.danger === true ? 'danger' : 'primary'}`} disabled={pending || props.ready === false} data-autofocus={props.ready === undefined ? true : undefined}>
            {pending && <span class="spinner" aria-hidden="true" />}
            {props.confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A labelled text input for dialogs. */
export function DialogField(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (v: string) => void;
  readonly maxLength?: number;
  readonly hint?: string;
  readonly autofocus?: boolean;
}): JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        value={props.value}
        maxLength={props.maxLength}
        autoComplete="off"
        data-autofocus={props.autofocus === true ? true : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.hint !== undefined && <p class="hint-text">{props.hint}</p>}
    </div>
  );
}
