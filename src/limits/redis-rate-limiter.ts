import { Redis } from 'ioredis';
import { bucketId, type BucketRef, type BucketRule, type RateLimiter } from './rate-limiter.js';

/**
 * Token buckets in one Lua script, so refill, check and spend are atomic
 * across instances (and across several buckets at once), and Redis's clock is
 * the only clock. KEYS: the buckets. ARGV: mode (peek | reserve | refund |
 * charge), then burst and refill ms per token for each key. Returns the
 * longest wait in ms (0 = allowed).
 */
const BUCKETS = `
local mode = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[i * 2])
  local refill = tonumber(ARGV[i * 2 + 1])
  local b = redis.call('HMGET', key, 'tokens', 'updated')
  local tokens = tonumber(b[1]) or burst
  local updated = tonumber(b[2]) or now
  tokens = math.min(burst, tokens + (now - updated) / refill)
  if tokens < 1 then wait = math.max(wait, math.max(1, math.ceil((1 - tokens) * refill))) end
  state[i] = { burst, refill, tokens }
end
if mode == 'peek' or (mode == 'reserve' and wait > 0) then return wait end
for i, key in ipairs(KEYS) do
  local burst, refill, tokens = state[i][1], state[i][2], state[i][3]
  if mode == 'reserve' then tokens = tokens - 1 end
  if mode == 'refund' then tokens = math.min(burst, tokens + 1) end
  if mode == 'charge' then tokens = math.max(-burst, tokens - 1) end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'updated', now)
  redis.call('PEXPIRE', key, math.ceil(burst * refill * 2) + 1000)
end
return wait
`;

type Mode = 'peek' | 'reserve' | 'refund' | 'charge';
type BucketsCommand = (keys: number, ...args: (string | number)[]) => Promise<number>;

/** Rate-limit buckets shared by every instance. */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;

  private constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.prefix = `${prefix}:rl:`;
    redis.defineCommand('ctfgBuckets', { lua: BUCKETS });
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

  private async run(buckets: readonly BucketRef[], mode: Mode): Promise<number> {
    if (buckets.length === 0) return 0;
    const command = (this.redis as unknown as { ctfgBuckets: BucketsCommand }).ctfgBuckets;
    const keys = buckets.map(({ rule, key }) => `${this.prefix}${bucketId(rule, key)}`);
    const args = buckets.flatMap(({ rule }) => [rule.burst, rule.refillSeconds * 1000]);
    return Number(await command.call(this.redis, keys.length, ...keys, mode, ...args));
  }

  peek(rule: BucketRule, key: string): Promise<number> {
    return this.run([{ rule, key }], 'peek');
  }

  take(rule: BucketRule, key: string): Promise<number> {
    return this.run([{ rule, key }], 'reserve');
  }

  reserve(buckets: readonly BucketRef[]): Promise<number> {
    return this.run(buckets, 'reserve');
  }

  async refund(buckets: readonly BucketRef[]): Promise<void> {
    await this.run(buckets, 'refund');
  }

  async charge(rule: BucketRule, key: string): Promise<void> {
    await this.run([{ rule, key }], 'charge');
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
