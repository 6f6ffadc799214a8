/** A token-bucket setting: `burst` tokens, one back every `refillSeconds`. */
export interface BucketRule {
  readonly burst: number;
  readonly refillSeconds: number;
}

/**
 * Rate limits behind an interface so several instances can share buckets
 * (Redis) later. Both methods answer 0 when allowed, otherwise the number of
 * milliseconds until a token is back.
 */
export interface RateLimiter {
  /** Allowed only if a token is available; does not spend it. */
  peek(rule: BucketRule, key: string): Promise<number>;
  /** Spends a token when available. */
  take(rule: BucketRule, key: string): Promise<number>;
  /** Spends a token even when the bucket is empty (a failed attempt always counts). */
  charge(rule: BucketRule, key: string): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * In-process buckets. Hand-written because the popular rate-limit plugins count
 * every request, while ctfg must spend tokens only on failures (wrong flags,
 * failed logins) and check before judging.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Full buckets carry no information; dropping them bounds memory even when
    // an attacker invents a new key per request.
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  private refill(rule: BucketRule, key: string): Bucket {
    const now = this.now();
    const mapKey = `${rule.burst}/${rule.refillSeconds}/${key}`;
    let b = this.buckets.get(mapKey);
    if (!b) {
      b = { tokens: rule.burst, updated: now };
      this.buckets.set(mapKey, b);
      return b;
    }
    const gained = rule.refillSeconds > 0 ? (now - b.updated) / (rule.refillSeconds * 1000) : rule.burst;
    b.tokens = Math.min(rule.burst, b.tokens + gained);
    b.updated = now;
    return b;
  }

  private wait(rule: BucketRule, b: Bucket): number {
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) * rule.refillSeconds * 1000));
  }

  async peek(rule: BucketRule, key: string): Promise<number> {
    return this.wait(rule, this.refill(rule, key));
  }

  async take(rule: BucketRule, key: string): Promise<number> {
    const b = this.refill(rule, key);
    const wait = this.wait(rule, b);
    if (wait === 0) b.tokens -= 1;
    return wait;
  }

  async charge(rule: BucketRule, key: string): Promise<void> {
    const b = this.refill(rule, key);
    b.tokens = Math.max(-rule.burst, b.tokens - 1);
  }

  async clear(): Promise<void> {
    this.buckets.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, b] of this.buckets) {
      const [burst, refill] = k.split('/', 2).map(Number) as [number, number];
      if (b.tokens + (now - b.updated) / (refill * 1000) >= burst) this.buckets.delete(k);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
