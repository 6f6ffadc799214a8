import { Redis } from 'ioredis';
import type { BusMessage, FanOut } from '../fanout.js';

/**
 * The bus between instances: Redis pub/sub on one channel. Pub/sub may drop
 * a message when a subscriber reconnects; the Sequencer notices the gap in
 * event ids and reads it from the store, so a lost message only delays.
 */
export class RedisFanOut implements FanOut {
  private readonly listeners: Array<(message: BusMessage) => void> = [];
  private readonly channel: string;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    prefix: string,
  ) {
    this.channel = `${prefix}:bus`;
    sub.on('message', (_channel: string, raw: string) => {
      let message: BusMessage;
      try {
        message = JSON.parse(raw) as BusMessage;
      } catch {
        return;
      }
      for (const l of this.listeners) l(message);
    });
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

  async publish(message: BusMessage): Promise<void> {
    await this.pub.publish(this.channel, JSON.stringify(message));
  }

  subscribe(listener: (message: BusMessage) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.listeners.length = 0;
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
