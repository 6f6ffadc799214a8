import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bearerToken } from '../../auth/secrets.js';
import { hashSecret } from '../../auth/sessions.js';
import { ErrorCode, type AwardResponse } from '../../protocol/api.js';
import { InputLimits } from '../../protocol/limits.js';
import { checkToken } from '../auth/tokens.js';
import { Id } from '../challenges/schema.js';
import type { HttpContext } from '../context.js';
import { HttpError, badRequest, parseInput, rateLimited, unauthorized } from '../errors.js';

const AwardBody = z.object({
  username: z.string().max(InputLimits.username, 'username is too long'),
  id: Id,
});

export function awardRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post('/api/award', async (req): Promise<AwardResponse> => {
    const presented = bearerToken(req.headers.authorization);
    const check = await checkToken(ctx, req, presented, [ctx.settings.apiToken]);
    if (check.kind === 'rate_limited') {
      ctx.metrics.rateLimited('award');
      throw rateLimited(check.retryAfterMs);
    }
    if (check.kind === 'wrong' || presented === null) throw unauthorized();
    const wait = await ctx.limiter.take(ctx.limits.award, `award:${hashSecret(presented)}`);
    if (wait > 0) {
      ctx.metrics.rateLimited('award');
      throw rateLimited(wait);
    }
    const body = parseInput(AwardBody, req.body);
    const outcome = await ctx.service.award(body.username, body.id);
    switch (outcome.kind) {
      case 'closed':
        throw new HttpError(403, outcome.state);
      case 'ok':
        return { result: 'ok' };
      case 'already_solved':
        return { result: 'already_solved', total: outcome.total };
      case 'unknown_id':
        throw badRequest(ErrorCode.unknownId);
      case 'unknown_user':
        throw badRequest(ErrorCode.unknownUser);
      case 'banned':
        throw new HttpError(403, ErrorCode.banned);
    }
  });
}
