import type { EventRecord, ResetMark } from '../storage/store.js';

/** What travels between the instances of one game. */
export type BusMessage =
  | { readonly kind: 'event'; readonly event: EventRecord }
  | { readonly kind: 'reset'; readonly mark: ResetMark; readonly ts: number }
  | { readonly kind: 'logout'; readonly sessionHash: string };

/**
 * The live-event bus. Every instance publishes what it recorded and applies
 * what it receives (its own messages included), so each keeps its in-memory
 * state and its sockets up to date. The default is in-process; a shared bus
 * (Redis) lets several instances run one game.
 */
export interface FanOut {
  publish(message: BusMessage): Promise<void>;
  subscribe(listener: (message: BusMessage) => void): void;
  close(): Promise<void>;
}

/** Single-instance bus: delivers synchronously, so state is current when publish returns. */
export class LocalFanOut implements FanOut {
  private readonly listeners: Array<(message: BusMessage) => void> = [];

  async publish(message: BusMessage): Promise<void> {
    for (const l of this.listeners) l(message);
  }

  subscribe(listener: (message: BusMessage) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
  }
}
