import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { bearerToken, secretEquals } from '../../auth/secrets.js';
import { ErrorCode } from '../../protocol/api.js';
import { hashSecret } from '../../auth/sessions.js';
import { Id } from '../challenges/schema.js';
import type { HttpContext } from '../context.js';
import { HttpError, badRequest, parseInput, rateLimited, unauthorized } from '../errors.js';

const AwardBody = z.object({
  username: z.string().max(200, 'username is too long'),
  id: Id,
});

export function awardRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post('/api/award', async (req) => {
    const { limiter, limits, settings } = ctx;
    const presented = bearerToken(req.headers.authorization);
    const valid = settings.apiToken !== null && presented !== null && secretEquals(presented, settings.apiToken);
    if (!valid) {
      // Wrong tokens are limited per address so guessing stays slow.
      const failKey = `token-fail:${req.ip}`;
      const wait = await limiter.peek(limits.tokenFailures, failKey);
      if (wait > 0) {
        ctx.metrics.rateLimited('award');
        throw rateLimited(wait);
      }
      await limiter.charge(limits.tokenFailures, failKey);
      throw unauthorized();
    }
    const wait = await limiter.take(limits.award, `award:${hashSecret(presented)}`);
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
        throw new HttpError(400, ErrorCode.unknownUser);
    }
  });
}
