/** The announcements page (SPEC §7): newest first, unread ones marked, Markdown rendered sanitized. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Announcement } from '../../../../src/protocol/api.js';
import { isUnread, type ReadMark } from '../../event/announcements.js';
import { BellIcon } from '../../ui/icons.js';
import { Markdown } from '../../ui/Markdown.js';

export function formatWhen(ts: number): string {
  return new Date(ts).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export interface AnnouncementsProps {
  readonly list: readonly Announcement[];
  readonly mark: ReadMark;
  readonly onSeen: () => void;
}

export function Announcements(props: AnnouncementsProps): JSX.Element {
  // The mark as it was when the page opened: what was unread then keeps its "new" tag while here.
  const [openedWith] = useState(props.mark);
  const { list, onSeen } = props;
  useEffect(() => onSeen(), [list, onSeen]);

  return (
    <section class="page announcements-page" aria-labelledby="page-title">
      <div class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Announcements
          </h1>
          <p class="muted">News from the organizers, newest first. New ones also pop up wherever you are.</p>
        </div>
      </div>
      {list.length === 0 ? (
        <div class="empty card">
          <BellIcon size={28} />
          <p>No announcements yet.</p>
        </div>
      ) : (
        <ol class="announcement-list" data-testid="announcement-list">
          {list.map((a) => {
            const unread = isUnread(a, openedWith);
            return (
              <li key={a.id} class={unread ? 'card announcement unread' : 'card announcement'} data-testid="announcement" data-id={a.id} data-unread={unread ? 'true' : 'false'}>
                <header class="announcement-head">
                  <time class="muted small" dateTime={new Date(a.ts).toISOString()}>
                    {formatWhen(a.ts)}
                  </time>
                  {unread && <span class="new-badge">New</span>}
                </header>
                <Markdown source={a.text} class="announcement-body" />
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
