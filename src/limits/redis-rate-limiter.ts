import { Redis } from 'ioredis';
import { SpendMirror } from './spend-mirror.js';
import { bucketId, HOLD_WAIT_MS, reserveWaiting, type BucketRef, type BucketRule, type RateLimiter } from './rate-limiter.js';

/**
 * Token buckets in one Lua script, so refill, check and spend are atomic
 * across instances (and across several buckets at once), and Redis's clock is
 * the only clock. KEYS: the buckets. ARGV: mode (peek | take | reserve |
 * refund | release | charge), the hold lease in ms, the channel spends are
 * announced on (SpendMirror), then burst and refill ms per token for each
 * key. Returns the longest wait in ms (0 = allowed, -1 = empty only because
 * of held tokens). A hold lapses after the lease, so an instance killed
 * mid-judge cannot block a bucket for good.
 */
const BUCKETS = `
local mode = ARGV[1]
local lease = tonumber(ARGV[2])
local channel = ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = {}
local wait = 0
local held_only = false
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[i * 2 + 2])
  local refill = tonumber(ARGV[i * 2 + 3])
  local b = redis.call('HMGET', key, 'tokens', 'updated', 'held', 'held_until')
  local tokens = tonumber(b[1]) or burst
  local updated = tonumber(b[2]) or now
  local held_until = tonumber(b[4]) or 0
  local held = 0
  if held_until > now then held = tonumber(b[3]) or 0 end
  tokens = math.min(burst, tokens + (now - updated) / refill)
  if tokens < 1 then
    if (mode == 'reserve' or mode == 'peek') and tokens + held >= 1 then
      held_only = mode == 'reserve'
    else
      wait = math.max(wait, math.max(1, math.ceil((1 - tokens) * refill)))
    end
  end
  state[i] = { burst, refill, tokens, held, held_until }
end
local spends = mode == 'take' or mode == 'reserve'
if mode == 'peek' or (spends and wait > 0) then return wait end
if held_only then return -1 end
for i, key in ipairs(KEYS) do
  local burst, refill, tokens, held, held_until = state[i][1], state[i][2], state[i][3], state[i][4], state[i][5]
  if spends then tokens = tokens - 1 end
  if mode == 'reserve' then
    held = held + 1
    held_until = now + lease
  end
  if mode == 'refund' then tokens = math.min(burst, tokens + 1) end
  if mode == 'refund' or mode == 'release' then held = math.max(0, held - 1) end
  if mode == 'charge' then tokens = math.max(-burst, tokens - 1) end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'updated', now, 'held', held, 'held_until', held_until)
  redis.call('PEXPIRE', key, math.max(lease, math.ceil(burst * refill * 2)) + 1000)
end
if spends or mode == 'charge' then redis.call('PUBLISH', channel, table.concat(KEYS, '\\n')) end
return wait
`;

/** How long a hold outlives its reserve at most (an instance may die mid-judge). */
const HOLD_LEASE_MS = 15_000;

type Mode = 'peek' | 'take' | 'reserve' | 'refund' | 'release' | 'charge';
const SPENDS: ReadonlySet<Mode> = new Set(['take', 'reserve', 'charge']);
type BucketsCommand = (keys: number, ...args: (string | number)[]) => Promise<number>;

/** Rate-limit buckets shared by every instance. */
export class RedisRateLimiter implements RateLimiter {
  private readonly prefix: string;
  private readonly channel: string;
  private readonly mirror = new SpendMirror();

  private constructor(
    private readonly redis: Redis,
    private readonly sub: Redis,
    prefix: string,
    private readonly holdWaitMs: number,
  ) {
    this.prefix = `${prefix}:rl:`;
    this.channel = `${prefix}:rl-spent`;
    redis.defineCommand('ctfgBuckets', { lua: BUCKETS });
    sub.on('message', (_channel: string, raw: string) => {
      for (const key of raw.split('\n')) if (key.startsWith(this.prefix)) this.mirror.mark(key.slice(this.prefix.length));
    });
    // Announcements sent while disconnected are lost: distrust the mirror until it is rebuilt.
    sub.on('close', () => this.mirror.lost());
    sub.on('ready', () => void this.follow().catch(() => this.mirror.lost()));
  }

  static async open(url: string, prefix: string, holdWaitMs = HOLD_WAIT_MS): Promise<RedisRateLimiter> {
    // Checks made in the same event-loop turn (a solve storm's peeks) share one write to Redis.
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
    const sub = new Redis(url, { lazyConnect: true });
    try {
      await redis.connect();
      await sub.connect();
    } catch (err) {
      redis.disconnect();
      sub.disconnect();
      throw new Error(`cannot connect to Redis at ${new URL(url).host}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const limiter = new RedisRateLimiter(redis, sub, prefix, holdWaitMs);
    await limiter.follow();
    return limiter;
  }

  /** Subscribes to spend announcements, then marks what Redis already holds. */
  private async follow(): Promise<void> {
    await this.sub.subscribe(this.channel);
    await this.mirror.resync(this.redis, this.prefix);
  }

  private async run(buckets: readonly BucketRef[], mode: Mode): Promise<number> {
    if (buckets.length === 0) return 0;
    const command = (this.redis as unknown as { ctfgBuckets: BucketsCommand }).ctfgBuckets;
    const ids = buckets.map(({ rule, key }) => bucketId(rule, key));
    // Marked before it is sent, so a check here right after cannot overtake it.
    if (SPENDS.has(mode)) for (const id of ids) this.mirror.mark(id);
    const keys = ids.map((id) => `${this.prefix}${id}`);
    const args = buckets.flatMap(({ rule }) => [rule.burst, rule.refillSeconds * 1000]);
    return Number(await command.call(this.redis, keys.length, ...keys, mode, HOLD_LEASE_MS, this.channel, ...args));
  }

  /** Answered here when no instance spent from this bucket within its refill window (it is full). */
  peek(rule: BucketRule, key: string): Promise<number> {
    if (!this.mirror.mayBeShort(bucketId(rule, key))) return Promise.resolve(0);
    return this.run([{ rule, key }], 'peek');
  }

  take(rule: BucketRule, key: string): Promise<number> {
    return this.run([{ rule, key }], 'take');
  }

  reserve(buckets: readonly BucketRef[]): Promise<number> {
    return reserveWaiting(() => this.run(buckets, 'reserve'), this.holdWaitMs, 20);
  }

  async refund(buckets: readonly BucketRef[]): Promise<void> {
    await this.run(buckets, 'refund');
  }

  async release(buckets: readonly BucketRef[]): Promise<void> {
    await this.run(buckets, 'release');
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
    this.mirror.close();
    this.sub.disconnect();
    this.redis.disconnect();
  }
}
