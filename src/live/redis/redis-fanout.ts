import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BusMessage, FanOut } from '../fanout.js';

interface Pending {
  readonly messages: BusMessage[];
  readonly waiters: Array<{ resolve(): void; reject(err: unknown): void }>;
}

/**
 * The bus between instances: Redis pub/sub on one channel. Pub/sub may drop
 * a message when a subscriber reconnects; the Sequencer notices the gap in
 * event ids and reads it from the store, so a lost message only delays.
 *
 * Wire format: `<origin>\n<JSON array of messages>`. Everything published in
 * one event-loop turn goes out as one PUBLISH (a solve storm costs Redis and
 * every subscriber one message per turn, not one per solve), and an instance
 * skips its own echo by the origin prefix without parsing it.
 */
export class RedisFanOut implements FanOut {
  private readonly listeners: Array<(message: BusMessage) => void> = [];
  private readonly channel: string;
  private readonly origin = randomBytes(8).toString('hex');
  private pending: Pending | null = null;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    prefix: string,
  ) {
    this.channel = `${prefix}:bus`;
    sub.on('message', (_channel: string, raw: string) => this.receive(raw));
  }

  static async open(url: string, prefix: string): Promise<RedisFanOut> {
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const sub = new Redis(url, { lazyConnect: true });
    try {
      await pub.connect();
      await sub.connect();
    } catch (err) {
      pub.disconnect();
      sub.disconnect();
      throw new Error(`cannot connect to Redis at ${new URL(url).host}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const fanout = new RedisFanOut(pub, sub, prefix);
    await sub.subscribe(fanout.channel);
    return fanout;
  }

  private receive(raw: string): void {
    const cut = raw.indexOf('\n');
    if (cut < 0 || raw.slice(0, cut) === this.origin) return;
    let messages: unknown;
    try {
      messages = JSON.parse(raw.slice(cut + 1));
    } catch {
      return;
    }
    if (!Array.isArray(messages)) return;
    for (const message of messages as BusMessage[]) for (const l of this.listeners) l(message);
  }

  /** Resolves once the PUBLISH carrying `message` (with the rest of this turn's) is done. */
  publish(message: BusMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.pending) {
        this.pending = { messages: [], waiters: [] };
        setImmediate(() => this.flush());
      }
      this.pending.messages.push(message);
      this.pending.waiters.push({ resolve, reject });
    });
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;
    this.pub.publish(this.channel, `${this.origin}\n${JSON.stringify(batch.messages)}`).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (err: unknown) => batch.waiters.forEach((w) => w.reject(err)),
    );
  }

  subscribe(listener: (message: BusMessage) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.flush();
    this.listeners.length = 0;
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
