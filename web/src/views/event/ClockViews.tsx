/** The clock in the app (SPEC §7): the countdown before the start, the paused and ended banners, the time-left chip. */
import type { JSX } from 'preact';
import { formatClock } from '../../util/format.js';
import { describeFace, formatDuration, type Clock, type ClockFace } from '../../event/clock.js';
import { ClockIcon, FlagIcon, PauseIcon, SnowIcon } from '../../ui/icons.js';

function formatStart(ts: number): string {
  return new Date(ts).toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** The big countdown shown instead of the challenge list (and on the login page) before the start. */
export function Countdown(props: { readonly clock: Clock; readonly face: ClockFace; readonly compact?: boolean }): JSX.Element {
  const { clock, face } = props;
  const digits = face.kind === 'countdown' ? formatDuration(face.ms) : null;
  return (
    <section class={props.compact === true ? 'countdown-card compact' : 'countdown-card card'} data-testid="countdown" aria-label={describeFace(face)}>
      <p class="countdown-label">{face.kind === 'starting' ? 'The event is starting…' : 'The event starts in'}</p>
      {digits !== null && (
        <p class="countdown-digits" data-testid="countdown-digits" aria-hidden="true">
          {digits}
        </p>
      )}
      {face.kind === 'starting' && <span class="spinner large" aria-hidden="true" />}
      {clock.start !== null && <p class="muted small countdown-when">Starts {formatStart(clock.start)}</p>}
      {props.compact !== true && <p class="muted countdown-hint">The challenges appear here the moment it begins — no need to reload.</p>}
    </section>
  );
}

/** The challenges page before the start: its heading, then the countdown. */
export function BeforeStart(props: { readonly clock: Clock; readonly face: ClockFace }): JSX.Element {
  return (
    <section class="page before-start" aria-labelledby="page-title">
      <div class="page-head">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            {props.clock.title ?? 'Challenges'}
          </h1>
          <p class="muted">Get ready: pick a name, read the rules, warm up your tools.</p>
        </div>
      </div>
      <Countdown clock={props.clock} face={props.face} />
    </section>
  );
}

/** A full-width strip under the nav while the event is paused or over. */
export function ClockBanner(props: { readonly clock: Clock }): JSX.Element | null {
  const { clock } = props;
  if (clock.state === 'paused') {
    return (
      <div class="clock-banner paused" role="status" data-testid="paused-banner">
        <PauseIcon size={20} />
        <span>
          <strong>The event is paused.</strong> You can read the challenges and the board; submissions reopen when it resumes.
        </span>
      </div>
    );
  }
  if (clock.state === 'ended') {
    return (
      <div class="clock-banner ended" role="status" data-testid="ended-banner">
        <FlagIcon size={20} />
        <span>
          <strong>The event is over.</strong> Thanks for playing! Challenges and the board stay readable; submissions are closed.
        </span>
      </div>
    );
  }
  return null;
}

/** The nav's small clock: time left while running, a word otherwise; nothing for an open-ended event. */
export function ClockChip(props: { readonly face: ClockFace }): JSX.Element | null {
  const { face } = props;
  let text: string;
  if (face.kind === 'time-left') text = `${formatDuration(face.ms)} left`;
  else if (face.kind === 'countdown') text = `starts in ${formatDuration(face.ms)}`;
  else if (face.kind === 'paused') text = 'paused';
  else if (face.kind === 'ended') text = 'over';
  else return null;
  return (
    <span class={`clock-chip ${face.kind}`} data-testid="clock-chip" title={describeFace(face)}>
      <ClockIcon size={15} />
      <span class="clock-chip-text">{text}</span>
    </span>
  );
}

/** On the scoreboard during a freeze: why the board stopped moving. */
export function FrozenNote(props: { readonly clock: Clock }): JSX.Element | null {
  if (!props.clock.frozen) return null;
  const since = props.clock.freeze;
  return (
    <p class="notice frozen-note" role="status" data-testid="frozen-note">
      <SnowIcon size={16} /> The scoreboard is frozen{since !== null ? ` since ${formatClock(since)}` : ''}. Your own solves still count; the final
      standings are revealed by the organizers.
    </p>
  );
}
