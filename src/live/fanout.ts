import type { SubmissionView } from '../protocol/api.js';
import type { EventRecord, ResetMark, UserRecord } from '../storage/store.js';

/** What travels between the instances of one game. */
export type BusMessage =
  | { readonly kind: 'event'; readonly event: EventRecord }
  | { readonly kind: 'reset'; readonly mark: ResetMark; readonly ts: number }
  | { readonly kind: 'logout'; readonly sessionHash: string }
  /** null: an admin cleared the name */
  | { readonly kind: 'name'; readonly userId: number; readonly name: string | null }
  /** a player's moderation flags changed (absent: unchanged); a ban also ends their sessions everywhere */
  | { readonly kind: 'moderation'; readonly userId: number; readonly banReason?: string | null; readonly unranked?: boolean }
  /** the challenges an admin hid, all of them */
  | { readonly kind: 'hidden'; readonly ids: readonly number[] }
  /** the schedule, pause or reveal changed in the store: re-read it */
  | { readonly kind: 'settings' }
  | { readonly kind: 'announcement'; readonly id: number; readonly ts: number; readonly text?: string; readonly deleted?: true }
  /**
   * An admin reloaded the game folder (h/reload): re-read it. `users` are the
   * players it added, so their events apply here before the re-read is done;
   * `generation` names the reload (its echo, or one already seen, is not re-read).
   */
  | { readonly kind: 'reload'; readonly generation: string; readonly users: readonly UserRecord[] }
  /** judged submits just written to the log, for every instance's admin sockets (SPEC §8); `origin` = the sending instance */
  | { readonly kind: 'submissions'; readonly origin: string; readonly rows: readonly SubmissionView[] }
  /** an instance's open sockets, sent now and then, for the admin overview */
  | { readonly kind: 'sockets'; readonly origin: string; readonly count: number };

/**
 * The live-event bus between the instances of one game. The publishing
 * instance applies its own messages itself (so its answers are current);
 * `publish` carries them to the other instances, whose subscribers apply
 * them to their in-memory state and sockets. A bus may also echo a message
 * to its sender; receivers ignore what they already applied.
 */
export interface FanOut {
  publish(message: BusMessage): Promise<void>;
  subscribe(listener: (message: BusMessage) => void): void;
  close(): Promise<void>;
}

/** In-process bus: instances created on the same `LocalBus` hear each other (one by default). */
export class LocalBus {
  readonly members = new Set<LocalFanOut>();
}

export class LocalFanOut implements FanOut {
  private readonly listeners: Array<(message: BusMessage) => void> = [];

  constructor(private readonly bus: LocalBus = new LocalBus()) {
    bus.members.add(this);
  }

  async publish(message: BusMessage): Promise<void> {
    for (const member of this.bus.members) if (member !== this) for (const l of member.listeners) l(message);
  }

  subscribe(listener: (message: BusMessage) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
    this.bus.members.delete(this);
  }
}
