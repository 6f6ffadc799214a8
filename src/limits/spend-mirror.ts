import type { Redis } from 'ioredis';

/** A bucket id (`burst/refillSeconds/key`, see bucketId) → how long after a spend it may still be short of full, in ms. */
function refillWindowMs(id: string): number {
  const [burst, refillSeconds] = id.split('/', 2).map(Number);
  // charge() can push a bucket down to −burst: two bursts to refill, plus clock slack.
  return Number.isFinite(burst) && Number.isFinite(refillSeconds) ? 2 * (burst as number) * (refillSeconds as number) * 1000 + 1000 : Infinity;
}

/**
 * Which rate-limit buckets may be short of a full burst, known on this
 * instance without asking Redis, so a check that only needs "is a token
 * there?" (a correct flag's peek) can skip the round trip for a bucket that
 * nobody spent from lately. Every spend is marked here before it is sent, and
 * the Lua script announces it on `channel` to the other instances. Whenever
 * the subscription (re)starts, every bucket key still in Redis counts as
 * spent (a bucket spent within its refill window still has its key), so a
 * message lost while disconnected cannot make a short bucket look full; until
 * that scan is done, every check goes to Redis.
 */
export class SpendMirror {
  private readonly until = new Map<string, number>();
  private ready = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  /** A spend from `id` was made (here or elsewhere). */
  mark(id: string): void {
    const end = this.now() + refillWindowMs(id);
    if ((this.until.get(id) ?? 0) < end) this.until.set(id, end);
  }

  /** false only when this bucket is surely full: known for a whole window and not spent from within it. */
  mayBeShort(id: string): boolean {
    if (!this.ready) return true;
    const end = this.until.get(id);
    return end !== undefined && end > this.now();
  }

  /** The subscription dropped: what was announced meanwhile is unknown. */
  lost(): void {
    this.ready = false;
  }

  /** The subscription is back: mark every bucket Redis still holds, then trust the mirror again. */
  async resync(redis: Redis, keyPrefix: string): Promise<void> {
    this.ready = false;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) this.mark(key.slice(keyPrefix.length));
    } while (cursor !== '0');
    this.ready = true;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, end] of this.until) if (end <= now) this.until.delete(id);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.until.clear();
    this.ready = false;
  }
}
