import type { EventRecord, ResetMark } from '../storage/store.js';

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
  | { readonly kind: 'announcement'; readonly id: number; readonly ts: number; readonly text?: string; readonly deleted?: true };

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
