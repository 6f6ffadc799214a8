/** Announcements: compose with a live Markdown preview (the players' own renderer), post, delete. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ANNOUNCEMENT_MAX_CHARS, type Announcement } from '../../../../src/protocol/api.js';
import { Markdown } from '../../ui/Markdown.js';
import type { PageProps } from '../AdminShell.js';
import { ConfirmDialog } from '../Dialogs.js';
import { adminFailure, formatTs } from '../format.js';
import { useLoad } from '../useLoad.js';

function Compose(props: PageProps & { readonly onPosted: () => void }): JSX.Element {
  const [text, setText] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const over = text.length > ANNOUNCEMENT_MAX_CHARS;
  const post = async (ev: Event): Promise<void> => {
    ev.preventDefault();
    if (pending || text.trim() === '' || over) return;
    setPending(true);
    const res = await props.api.announce(text.trim());
    setPending(false);
    if (!res.ok) return setError(adminFailure(res.failure));
    setError(null);
    setText('');
    props.toasts.show({ tone: 'success', text: 'Announcement posted to every player.' });
    props.onPosted();
  };
  return (
    <form class="admin-compose" onSubmit={(ev) => void post(ev)} noValidate>
      <div class="field">
        <label for="announce-text">
          Message (Markdown)
          <span class={`counter ${over ? 'over' : ''}`}>
            {text.length} / {ANNOUNCEMENT_MAX_CHARS}
          </span>
        </label>
        <textarea id="announce-text" rows={7} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="**Challenge 7 was fixed.** Resubmit if you were stuck." />
      </div>
      <div class="admin-preview" aria-live="polite">
        <span class="admin-preview-label muted small">Preview</span>
        {text.trim() === '' ? <p class="muted">Nothing to preview yet.</p> : <Markdown source={text} class="announcement-text" />}
      </div>
      {error !== null && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="btn primary" disabled={pending || text.trim() === '' || over}>
        {pending && <span class="spinner" aria-hidden="true" />}
        Post announcement
      </button>
    </form>
  );
}

export function AnnouncementsPage(props: PageProps): JSX.Element {
  const list = useLoad(() => props.api.announcements(), [props.api]);
  const [deleting, setDeleting] = useState<Announcement | null>(null);
  const remove = async (a: Announcement): Promise<string | null> => {
    const res = await props.api.deleteAnnouncement(a.id);
    if (!res.ok) return adminFailure(res.failure);
    list.reload();
    return null;
  };
  return (
    <div class="admin-grid">
      <section class="card admin-card" aria-labelledby="compose-title">
        <h2 id="compose-title">New announcement</h2>
        <Compose {...props} onPosted={list.reload} />
      </section>
      <section class="card admin-card" aria-labelledby="posted-title">
        <h2 id="posted-title">Posted</h2>
        {list.error !== null && <p class="notice error">{list.error}</p>}
        {list.data?.length === 0 && <p class="muted">No announcements yet.</p>}
        <ul class="admin-announcements">
          {list.data?.map((a) => (
            <li key={a.id} class="admin-announcement" data-testid="admin-announcement">
              <div class="admin-announcement-head">
                <span class="muted small">{formatTs(a.ts)}</span>
                <button type="button" class="btn small ghost" onClick={() => setDeleting(a)}>
                  Delete
                </button>
              </div>
              <Markdown source={a.text} />
            </li>
          ))}
        </ul>
      </section>
      {deleting !== null && (
        <ConfirmDialog title="Delete this announcement?" confirmLabel="Delete" danger onConfirm={() => remove(deleting)} onClose={() => setDeleting(null)}>
          <p>It disappears from every player’s list at once.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
