/** A token-bucket setting: `burst` tokens, one back every `refillSeconds`. */
export interface BucketRule {
  readonly burst: number;
  readonly refillSeconds: number;
}

/** One bucket: its rule and its key (e.g. `login-user:ada`). */
export interface BucketRef {
  readonly rule: BucketRule;
  readonly key: string;
}

/**
 * Rate limits behind an interface so several instances can share buckets
 * (Redis). Methods that answer a number answer 0 when allowed, otherwise the
 * milliseconds until a token is back.
 */
export interface RateLimiter {
  /** Allowed only if a token is available, or held by an attempt still being judged; does not spend it. */
  peek(rule: BucketRule, key: string): Promise<number>;
  /** Spends a token when available. */
  take(rule: BucketRule, key: string): Promise<number>;
  /**
   * Spends one token from every bucket at once, or from none when any is empty
   * (atomic), and holds them until the attempt is judged: `refund` on success,
   * `release` on failure. Attempts that only spend on failure reserve first, so
   * N parallel attempts judge at most the burst; a bucket that is empty only
   * because of held tokens makes the reserve wait for them to settle instead of
   * refusing, so 200 correct logins at once from one classroom address all pass.
   */
  reserve(buckets: readonly BucketRef[]): Promise<number>;
  /** Settles a successful `reserve`: the tokens come back (capped at the burst). */
  refund(buckets: readonly BucketRef[]): Promise<void>;
  /** Settles a failed `reserve`: the tokens stay spent. */
  release(buckets: readonly BucketRef[]): Promise<void>;
  /** Spends a token even when the bucket is empty (a failed attempt always counts). */
  charge(rule: BucketRule, key: string): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}

interface Bucket {
  tokens: number;
  updated: number;
  /** tokens spent by reserves not yet settled */
  held: number;
}

/** An attempt's answer meaning "empty only because of tokens held by attempts still being judged". */
export const HELD = -1;

/**
 * Retries a reserve while held tokens may still come back, up to `waitMs`
 * (then it counts as refused for a second). Polling, not wake-ups, because
 * in Redis the holders are on other instances.
 */
export async function reserveWaiting(attempt: () => Promise<number>, waitMs: number, pollMs: number): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const wait = await attempt();
    if (wait !== HELD) return wait;
    if (Date.now() >= deadline) return 1000;
    await new Promise((resolve) => setTimeout(resolve, pollMs * (0.5 + Math.random())));
  }
}

/** How long a reserve waits for held tokens by default: longer than any password check. */
export const HOLD_WAIT_MS = 10_000;

/** The map key of a bucket: the rule is part of it, so changing a rule starts fresh buckets. */
export function bucketId(rule: BucketRule, key: string): string {
  return `${rule.burst}/${rule.refillSeconds}/${key}`;
}

/**
 * In-process buckets. Hand-written because the popular rate-limit plugins count
 * every request, while ctfg must spend tokens only on failures (wrong flags,
 * failed logins) and check before judging. Every method runs without awaiting
 * in between, so each is atomic on the one event loop.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly holdWaitMs = HOLD_WAIT_MS,
  ) {
    // Full buckets carry no information; dropping them bounds memory even when
    // an attacker invents a new key per request.
    this.sweeper = setInterval(() => this.sweep(), 30_000);
    this.sweeper.unref();
  }

  private refill(rule: BucketRule, key: string): Bucket {
    const now = this.now();
    const mapKey = bucketId(rule, key);
    let b = this.buckets.get(mapKey);
    if (!b) {
      b = { tokens: rule.burst, updated: now, held: 0 };
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
    const b = this.refill(rule, key);
    return b.tokens + b.held >= 1 ? 0 : this.wait(rule, b);
  }

  async take(rule: BucketRule, key: string): Promise<number> {
    return this.spend([{ rule, key }], false);
  }

  reserve(buckets: readonly BucketRef[]): Promise<number> {
    return reserveWaiting(async () => this.spend(buckets, true), this.holdWaitMs, 5);
  }

  private spend(buckets: readonly BucketRef[], hold: boolean): number {
    const found = buckets.map(({ rule, key }) => ({ rule, b: this.refill(rule, key) }));
    const wait = Math.max(0, ...found.filter(({ b }) => !hold || b.tokens + b.held < 1).map(({ rule, b }) => this.wait(rule, b)));
    if (wait > 0) return wait;
    if (found.some(({ b }) => b.tokens < 1)) return HELD;
    for (const { b } of found) {
      b.tokens -= 1;
      if (hold) b.held += 1;
    }
    return 0;
  }

  async refund(buckets: readonly BucketRef[]): Promise<void> {
    for (const { rule, key } of buckets) {
      const b = this.refill(rule, key);
      b.tokens = Math.min(rule.burst, b.tokens + 1);
      b.held = Math.max(0, b.held - 1);
    }
  }

  async release(buckets: readonly BucketRef[]): Promise<void> {
    for (const { rule, key } of buckets) {
      const b = this.refill(rule, key);
      b.held = Math.max(0, b.held - 1);
    }
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
      if (b.held === 0 && b.tokens + (now - b.updated) / (refill * 1000) >= burst) this.buckets.delete(k);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
