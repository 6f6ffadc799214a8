import { Redis } from 'ioredis';
import type { BucketRule, RateLimiter } from './rate-limiter.js';

/**
 * One token bucket in a Lua script, so refill, check and spend are atomic
 * across instances, and Redis's clock is the only clock.
 * ARGV: burst, refill ms per token, mode (peek | take | charge). Returns the wait in ms.
 */
const BUCKET = `
local burst = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local mode = ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(b[1]) or burst
local updated = tonumber(b[2]) or now
tokens = math.min(burst, tokens + (now - updated) / refill)
local wait = 0
if tokens < 1 then wait = math.max(1, math.ceil((1 - tokens) * refill)) end
if mode == 'take' and wait == 0 then tokens = tokens - 1 end
if mode == 'charge' then tokens = math.max(-burst, tokens - 1) end
if mode ~= 'peek' then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', now)
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst * refill * 2) + 1000)
end
return wait
`;

type Mode = 'peek' | 'take' | 'charge';

/** Rate-limit buckets shared by every instance. */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;

  private constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.prefix = `${prefix}:rl:`;
    redis.defineCommand('ctfgBucket', { numberOfKeys: 1, lua: BUCKET });
  }

  static async open(url: string, prefix: string): Promise<RedisRateLimiter> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new Error(`cannot connect to Redis at ${new URL(url).host}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return new RedisRateLimiter(redis, prefix);
  }

  private async run(rule: BucketRule, key: string, mode: Mode): Promise<number> {
    const bucket = (this.redis as unknown as { ctfgBucket(k: string, b: number, r: number, m: Mode): Promise<number> }).ctfgBucket;
    return Number(await bucket.call(this.redis, `${this.prefix}${rule.burst}/${rule.refillSeconds}/${key}`, rule.burst, rule.refillSeconds * 1000, mode));
  }

  peek(rule: BucketRule, key: string): Promise<number> {
    return this.run(rule, key, 'peek');
  }

  take(rule: BucketRule, key: string): Promise<number> {
    return this.run(rule, key, 'take');
  }

  async charge(rule: BucketRule, key: string): Promise<void> {
    await this.run(rule, key, 'charge');
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await this.redis.del(...keys);
    } while (cursor !== '0');
  }

  close(): void {
    this.redis.disconnect();
  }
}
