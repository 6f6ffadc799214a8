import type { EventConfig } from '../config/event-file.js';
import type { Challenge } from '../domain/types.js';
import type { EventResponse, EventState } from '../protocol/api.js';
import type { ClockMessage, ReloadMessage } from '../protocol/messages.js';
import type { Hub } from '../live/hub.js';
import type { GameState } from '../state/game-state.js';
import type { Store } from '../storage/store.js';
import {
  effectiveSchedule,
  eventBody,
  freezeInForce,
  nextTransition,
  overriddenFields,
  parseStored,
  REVEAL_KEY,
  SCHEDULE_KEY,
  stateAt,
  StoredReveal,
  StoredSchedule,
  TIME_FIELDS,
  type Schedule,
  type TimeField,
} from './schedule.js';

export interface ClockDeps {
  readonly store: Store;
  readonly state: GameState;
  readonly hub: Hub;
  readonly file: EventConfig;
  /** the challenges in force (for release times) */
  readonly challenges: () => readonly Challenge[];
  /** a challenge's release time came: announce it (once across instances) */
  readonly onRelease: (challenge: Challenge) => void;
  readonly onError: (err: unknown) => void;
  readonly now?: () => number;
}

/** setTimeout's longest delay; a later transition re-arms on the way. */
const MAX_TIMER_MS = 2_000_000_000;

/**
 * The event clock of one instance: the schedule in force (event.yaml under
 * what the admin stored), one timer armed for the next transition, and the
 * pushes that go with it. It never polls per socket: when the state or
 * `frozen` flips, one clock message goes to every socket.
 */
export class EventClock {
  private stored: StoredSchedule = { paused: false };
  private revealed: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** state + frozen last pushed, so a push happens only on a change */
  private lastKey = '';
  private released = new Set<number>();
  private readonly now: () => number;
  /** event.yaml in force; a reload replaces it */
  private file: EventConfig;

  constructor(private readonly deps: ClockDeps) {
    this.now = deps.now ?? Date.now;
    this.file = deps.file;
  }

  get schedule(): Schedule {
    return effectiveSchedule(this.file, this.stored);
  }

  get title(): string | null {
    return this.file.title;
  }

  get publicScoreboard(): boolean {
    return this.file.publicScoreboard;
  }

  /** Reads what is stored; returns the fields that override event.yaml (for the start-up log). */
  async load(): Promise<string[]> {
    await this.refresh(false);
    return overriddenFields(this.file, this.stored);
  }

  body(): EventResponse {
    return eventBody(this.title, this.schedule, this.revealed, this.now());
  }

  state(): EventState {
    return stateAt(this.schedule, this.now());
  }

  clockJson(): string {
    const message: ClockMessage = { type: 'system', event: 'clock', ...this.body() };
    return JSON.stringify(message);
  }

  /** Stores an admin change (absent fields unchanged); the caller publishes it to the other instances. */
  async change(change: Partial<Record<TimeField, number | null>> & { paused?: boolean }): Promise<void> {
    const next: StoredSchedule = { ...this.stored };
    for (const f of TIME_FIELDS) {
      const v = change[f];
      if (v !== undefined) next[f] = { value: v, file: this.file[f] };
    }
    if (change.paused !== undefined) next.paused = change.paused;
    await this.deps.store.writeSetting(SCHEDULE_KEY, JSON.stringify(next));
    await this.refresh(true);
  }

  /** Ends the freeze in force; false when there is none. */
  async reveal(): Promise<boolean> {
    const freeze = this.schedule.freeze;
    if (freeze === null || freeze === this.revealed) return false;
    await this.deps.store.writeSetting(REVEAL_KEY, JSON.stringify({ freeze }));
    await this.refresh(true);
    return true;
  }

  /**
   * A reloaded event.yaml (and challenge set, for release times): applied at
   * once from the stored schedule already read, so it lands together with the
   * new game; a changed time in the file wins over the admin's stored one.
   */
  setFile(file: EventConfig): void {
    this.file = file;
    this.apply(true);
  }

  /** Re-reads the stored schedule and reveal (another instance changed them) and applies them. */
  async refresh(push = true): Promise<void> {
    const [schedule, reveal] = await Promise.all([this.deps.store.readSetting(SCHEDULE_KEY), this.deps.store.readSetting(REVEAL_KEY)]);
    this.stored = parseStored(StoredSchedule, schedule, { paused: false });
    this.revealed = parseStored(StoredReveal, reveal, null)?.freeze ?? null;
    this.apply(push);
  }

  /** Brings state and sockets in line with the clock, and arms the timer for the next transition. */
  private apply(push: boolean): void {
    const now = this.now();
    const { state, hub } = this.deps;
    if (state.setFreeze(freezeInForce(this.schedule, this.revealed)) && push) {
      // A reveal or a new freeze: every socket gets a board it may see.
      hub.broadcastSnapshot(state.lastEventId, (role) => state.snapshotBody(now, role === 'admin' ? 'admin' : 'public'));
    }
    this.applyReleases(now, push);
    const body = this.body();
    const key = `${body.state}/${body.frozen}/${body.start}/${body.end}/${body.freeze}`;
    if (key !== this.lastKey) {
      this.lastKey = key;
      if (push) hub.broadcast(this.clockJson());
    }
    this.arm(now);
  }

  private applyReleases(now: number, push: boolean): void {
    const hidden = new Set<number>();
    const fresh: Challenge[] = [];
    for (const c of this.deps.challenges()) {
      if (c.release === undefined) continue;
      if (c.release > now) hidden.add(c.id);
      else if (!this.released.has(c.id)) fresh.push(c);
    }
    this.released = new Set(this.deps.challenges().filter((c) => c.release !== undefined && c.release <= now).map((c) => c.id));
    this.deps.state.setUnreleased(hidden);
    if (!push || fresh.length === 0) return;
    const reload: ReloadMessage = { type: 'system', event: 'reload', ts: now };
    this.deps.hub.broadcast(JSON.stringify(reload));
    // Announced only for releases that happen while running, not for old ones at start.
    for (const c of fresh) if (c.release !== undefined && now - c.release < 60_000) this.deps.onRelease(c);
  }

  private arm(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const releases = this.deps.challenges().flatMap((c) => (c.release !== undefined ? [c.release] : []));
    const next = nextTransition(this.schedule, releases, now);
    if (next === null) return;
    // A few ms late rather than early: at `next` itself the new state holds.
    this.timer = setTimeout(() => this.fire(), Math.min(MAX_TIMER_MS, next - now + 5));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    try {
      this.apply(true);
    } catch (err) {
      this.deps.onError(err);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
