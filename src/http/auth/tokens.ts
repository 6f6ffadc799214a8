import type { FastifyRequest } from 'fastify';
import { secretEquals } from '../../auth/secrets.js';
import type { HttpContext } from '../context.js';

export type TokenVerdict<T> =
  | { readonly kind: 'ok'; readonly who: T }
  | { readonly kind: 'wrong' }
  /** the address spent its token-failure bucket: nothing is judged until it refills */
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number };

export type TokenCheck = TokenVerdict<true>;

/** How tokens are judged: at once (constant-time comparisons), and optionally slowly (hashes). */
export interface TokenJudge<T> {
  now(presented: string): T | null;
  readonly slow?: ((presented: string) => Promise<T | null>) | undefined;
}

/** The per-address bucket every endpoint that takes an admin or API token shares (SPEC §6). */
export function tokenFailureKey(req: FastifyRequest): string {
  return `token-fail:${req.ip}`;
}

/**
 * Judges a presented admin/API token under the per-address token-failure
 * bucket (burst 10, one back every 6 s by default).
 *
 * While the bucket is empty every attempt is refused unjudged — the right
 * token too — so a guess can never be confirmed by a different answer. A
 * token that matches at once spends nothing (a judge script awarding at
 * 100/s is never slowed by this bucket); otherwise a wrong token spends with
 * an atomic take, and a slow (hashed) check reserves its token first and
 * gives it back on success, so N parallel guesses judge at most the burst.
 */
export async function judgeToken<T>(
  ctx: Pick<HttpContext, 'limiter' | 'limits'>,
  req: FastifyRequest,
  presented: string | null | undefined,
  judge: TokenJudge<T>,
): Promise<TokenVerdict<T>> {
  const bucket = { rule: ctx.limits.tokenFailures, key: tokenFailureKey(req) };
  const wait = await ctx.limiter.peek(bucket.rule, bucket.key);
  if (wait > 0) return { kind: 'rate_limited', retryAfterMs: wait };
  const now = presented ? judge.now(presented) : null;
  if (now !== null) return { kind: 'ok', who: now };
  if (presented && judge.slow) {
    const reserved = await ctx.limiter.reserve([bucket]);
    if (reserved > 0) return { kind: 'rate_limited', retryAfterMs: reserved };
    let who: T | null = null;
    try {
      who = await judge.slow(presented);
    } finally {
      await (who !== null ? ctx.limiter.refund([bucket]) : ctx.limiter.release([bucket]));
    }
    return who !== null ? { kind: 'ok', who } : { kind: 'wrong' };
  }
  const spent = await ctx.limiter.take(bucket.rule, bucket.key);
  return spent > 0 ? { kind: 'rate_limited', retryAfterMs: spent } : { kind: 'wrong' };
}

/** judgeToken against a list of plain tokens (the API token). */
export function checkToken(
  ctx: Pick<HttpContext, 'limiter' | 'limits'>,
  req: FastifyRequest,
  presented: string | null | undefined,
  accepted: ReadonlyArray<string | null>,
): Promise<TokenCheck> {
  return judgeToken(ctx, req, presented, { now: (p) => (matchesAny(p, accepted) ? true : null) });
}

/** The organizer an admin token belongs to (admins.csv, or ENV_ADMIN_NAME for CTFG_ADMIN_TOKEN). */
export function judgeAdminToken(
  ctx: Pick<HttpContext, 'limiter' | 'limits' | 'admins'>,
  req: FastifyRequest,
  presented: string | null | undefined,
): Promise<TokenVerdict<string>> {
  const { admins } = ctx;
  return judgeToken(ctx, req, presented, {
    now: (p) => admins.matchNow(p),
    slow: admins.hasHashed ? (p) => admins.matchSlow(p) : undefined,
  });
}

/** Compares with every configured token (no early exit, so timing does not say which matched). */
function matchesAny(presented: string, accepted: ReadonlyArray<string | null>): boolean {
  let match = false;
  for (const expected of accepted) if (expected !== null && secretEquals(presented, expected)) match = true;
  return match;
}
