import type { EventRecord, ResetMark } from '../storage/store.js';
import type { BusMessage } from './fanout.js';

export interface SequencerTarget {
  applyEvent(event: EventRecord): void;
  applyReset(mark: ResetMark, ts: number): void;
  applyLogout(sessionHash: string): void;
  applyName(userId: number, name: string | null): void;
  applyModeration(message: Extract<BusMessage, { kind: 'moderation' }>): void;
  applyHidden(ids: readonly number[]): void;
  applySettings(): void;
  applyAnnouncement(message: Extract<BusMessage, { kind: 'announcement' }>): void;
  applyReload(message: Extract<BusMessage, { kind: 'reload' }>): void;
}

export interface SequencerOptions {
  /** newest event id already applied, and the reset count, from the store at start */
  readonly appliedId: number;
  readonly resetCount: number;
  /** reads what this instance missed from the store */
  readonly catchUp: (afterId: number) => Promise<{ events: EventRecord[]; reset: ResetMark }>;
  /** how long a gap may stay open before the store is asked */
  readonly gapMs?: number;
  /**
   * With a shared bus: ask the store this often even without a gap, since a
   * lost last message leaves no gap to notice. 0 = never (in-process bus).
   */
  readonly pollMs?: number;
  readonly onError?: (err: unknown) => void;
}

/**
 * Applies bus messages strictly in event-id order. Ids are gapless, so a
 * missing id means a message is late or was lost (a shared bus may reorder
 * or drop): the sequencer waits briefly, then reads the gap from the store.
 * A reset applies at once and makes every event up to its mark obsolete.
 */
export class Sequencer {
  private applied: number;
  private resets: number;
  private readonly pending = new Map<number, EventRecord>();
  private gapTimer: NodeJS.Timeout | null = null;
  private readonly poller: NodeJS.Timeout | null = null;
  /** catch-ups run one after another, each reading from where the last one left off */
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    private readonly target: SequencerTarget,
    private readonly options: SequencerOptions,
  ) {
    this.applied = options.appliedId;
    this.resets = options.resetCount;
    if (options.pollMs) {
      this.poller = setInterval(() => void this.catchUpNow(), options.pollMs);
      this.poller.unref();
    }
  }

  get appliedId(): number {
    return this.applied;
  }

  receive(message: BusMessage): void {
    switch (message.kind) {
      case 'logout':
        this.target.applyLogout(message.sessionHash);
        return;
      case 'name':
        this.target.applyName(message.userId, message.name);
        return;
      case 'settings':
        this.target.applySettings();
        return;
      case 'moderation':
        this.target.applyModeration(message);
        return;
      case 'hidden':
        this.target.applyHidden(message.ids);
        return;
      case 'announcement':
        this.target.applyAnnouncement(message);
        return;
      case 'reload':
        // In bus order: the players it adds exist before their first events arrive.
        this.target.applyReload(message);
        return;
      case 'reset':
        this.reset(message.mark, message.ts);
        break;
      case 'event':
        if (message.event.id > this.applied) this.pending.set(message.event.id, message.event);
        break;
    }
    this.drain();
  }

  private reset(mark: ResetMark, ts: number): void {
    if (mark.count <= this.resets) return;
    this.resets = mark.count;
    this.applied = Math.max(this.applied, mark.afterId);
    for (const id of this.pending.keys()) if (id <= this.applied) this.pending.delete(id);
    this.target.applyReset(mark, ts);
  }

  private drain(): void {
    for (let next = this.pending.get(this.applied + 1); next; next = this.pending.get(this.applied + 1)) {
      this.pending.delete(next.id);
      this.applied = next.id;
      this.target.applyEvent(next);
    }
    if (this.pending.size > 0) this.scheduleCatchUp();
  }

  private scheduleCatchUp(): void {
    if (this.gapTimer || this.queued > 0) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      void this.catchUpNow();
    }, this.options.gapMs ?? 250);
    this.gapTimer.unref();
  }

  /**
   * Reads everything after the last applied id from the store; resolves once
   * what was committed before the call is applied. Also polls for lost messages.
   */
  catchUpNow(): Promise<void> {
    this.queued++;
    const run = this.chain.then(() => this.readStore());
    this.chain = run;
    return run;
  }

  private async readStore(): Promise<void> {
    try {
      const { events, reset } = await this.options.catchUp(this.applied);
      if (reset.count > this.resets) this.reset(reset, Date.now());
      // The store's answer is complete up to its newest event: apply it in order.
      for (const e of events) {
        if (e.id <= this.applied) continue;
        this.pending.delete(e.id);
        this.applied = e.id;
        this.target.applyEvent(e);
      }
      for (const id of this.pending.keys()) if (id <= this.applied) this.pending.delete(id);
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.queued--;
    }
    this.drain();
  }

  close(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.poller) clearInterval(this.poller);
  }
}
