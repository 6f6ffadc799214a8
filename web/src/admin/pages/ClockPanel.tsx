/** The event clock (SPEC §7) and its controls: start, pause/resume, freeze, reveal, end. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AdminEventRequest, EventResponse } from '../../../../src/protocol/api.js';
import type { ApiResult } from '../../api/client.js';
import { describeFace } from '../../event/clock.js';
import { useEventClock } from '../../event/useClock.js';
import type { PageProps } from '../AdminShell.js';
import { ConfirmDialog } from '../Dialogs.js';
import { adminFailure, formatTs } from '../format.js';

type Action = 'start' | 'pause' | 'resume' | 'freeze' | 'reveal' | 'end';

const ASK: Readonly<Record<Action, { title: string; body: string; label: string; danger: boolean } | null>> = {
  start: null,
  pause: null,
  resume: null,
  freeze: { title: 'Freeze the board now?', body: 'Players and viewers keep seeing the board as it is now until you reveal.', label: 'Freeze now', danger: false },
  reveal: { title: 'Reveal the board?', body: 'Ends the freeze: every player gets the live board at once.', label: 'Reveal', danger: false },
  end: { title: 'End the event now?', body: 'Submissions, hints and awards close for every player at once.', label: 'End the event', danger: true },
};

const iso = (ms: number): string => new Date(ms).toISOString();

export function ClockPanel(props: PageProps): JSX.Element {
  const { clock, face, apply } = useEventClock(props.api);
  const [asking, setAsking] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => props.live.subscribe({ onClock: apply }), [props.live, apply]);

  const run = async (action: Action): Promise<string | null> => {
    const now = Date.now();
    const body: Record<Exclude<Action, 'reveal'>, AdminEventRequest> = {
      start: { start: iso(now) },
      pause: { paused: true },
      resume: { paused: false },
      freeze: { freeze: iso(now) },
      end: { end: iso(now) },
    };
    const res: ApiResult<EventResponse> = action === 'reveal' ? await props.api.reveal() : await props.api.changeEvent(body[action]);
    if (!res.ok) return adminFailure(res.failure);
    apply(res.value);
    props.toasts.show({ tone: 'success', text: `Clock: ${action} done.` });
    return null;
  };
  const click = (action: Action): void => {
    if (ASK[action] !== null) {
      setAsking(action);
      return;
    }
    setError(null);
    void run(action).then(setError);
  };

  if (clock === null || face === null) return <p class="muted">Loading the clock…</p>;
  const ask = asking === null ? null : ASK[asking];
  return (
    <div class="admin-clock" data-testid="admin-clock" data-state={clock.state}>
      <p class="admin-clock-face">
        <span class={`chip clock-state ${clock.state}`}>{clock.state}</span>
        {clock.frozen && <span class="chip frozen">frozen</span>}
        <span class="admin-clock-text">{describeFace(face)}</span>
      </p>
      <dl class="admin-times">
        <dt>Start</dt>
        <dd>{formatTs(clock.start)}</dd>
        <dt>Freeze</dt>
        <dd>{formatTs(clock.freeze)}</dd>
        <dt>End</dt>
        <dd>{formatTs(clock.end)}</dd>
      </dl>
      <div class="admin-actions">
        <button type="button" class="btn small" disabled={clock.state !== 'before'} onClick={() => click('start')}>
          Start now
        </button>
        {clock.paused ? (
          <button type="button" class="btn small" onClick={() => click('resume')}>
            Resume
          </button>
        ) : (
          <button type="button" class="btn small" disabled={clock.state === 'ended'} onClick={() => click('pause')}>
            Pause
          </button>
        )}
        <button type="button" class="btn small" disabled={clock.frozen} onClick={() => click('freeze')}>
          Freeze now
        </button>
        <button type="button" class="btn small reveal" disabled={!clock.frozen} onClick={() => click('reveal')}>
          Reveal
        </button>
        <button type="button" class="btn small danger" disabled={clock.state === 'ended'} onClick={() => click('end')}>
          End now
        </button>
      </div>
      {error !== null && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {asking !== null && ask !== null && (
        <ConfirmDialog title={ask.title} confirmLabel={ask.label} danger={ask.danger} onConfirm={() => run(asking)} onClose={() => setAsking(null)}>
          <p>{ask.body}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
