import type { FastifyRequest } from 'fastify';
import { secretEquals } from '../../auth/secrets.js';
import type { HttpContext } from '../context.js';

export type TokenCheck =
  | { readonly kind: 'ok' }
  | { readonly kind: 'wrong' }
  /** the address spent its token-failure bucket: nothing is judged until it refills */
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number };

/** The per-address bucket every endpoint that takes an admin or API token shares (SPEC §6). */
export function tokenFailureKey(req: FastifyRequest): string {
  return `token-fail:${req.ip}`;
}

/**
 * Judges a presented admin/API token against the configured ones, in
 * constant time, under the per-address token-failure bucket (burst 10, one
 * back every 6 s by default).
 *
 * While the bucket is empty every attempt is refused unjudged — the right
 * token too — so a guess can never be confirmed by a different answer. A
 * wrong token spends with an atomic take, so N parallel guesses get at most
 * the burst judged as "wrong"; a right token spends nothing (a judge script
 * awarding at 100/s is never slowed by this bucket). The comparison is
 * synchronous, so no guess is judged between the check and the spend.
 * When a judge becomes asynchronous (hashed tokens in admins.csv), it must
 * reserve with take first and refund on success.
 */
export async function checkToken(
  ctx: Pick<HttpContext, 'limiter' | 'limits'>,
  req: FastifyRequest,
  presented: string | null | undefined,
  accepted: ReadonlyArray<string | null>,
): Promise<TokenCheck> {
  const key = tokenFailureKey(req);
  const wait = await ctx.limiter.peek(ctx.limits.tokenFailures, key);
  if (wait > 0) return { kind: 'rate_limited', retryAfterMs: wait };
  if (presented && matchesAny(presented, accepted)) return { kind: 'ok' };
  const spent = await ctx.limiter.take(ctx.limits.tokenFailures, key);
  return spent > 0 ? { kind: 'rate_limited', retryAfterMs: spent } : { kind: 'wrong' };
}

/** Compares with every configured token (no early exit, so timing does not say which matched). */
function matchesAny(presented: string, accepted: ReadonlyArray<string | null>): boolean {
  let match = false;
  for (const expected of accepted) if (expected !== null && secretEquals(presented, expected)) match = true;
  return match;
}
