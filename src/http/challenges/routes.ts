import type { FastifyInstance } from 'fastify';
import { ErrorCode, type OkResponse, type SubmitResponse } from '../../protocol/api.js';
import { requirePlayer } from '../auth/guard.js';
import type { HttpContext } from '../context.js';
import { HttpError, badRequest, parseInput, rateLimited } from '../errors.js';
import { HintBody, SubmitBody } from './schema.js';

export function challengeRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/challenges', async (req, reply) => {
    const { player } = await requirePlayer(ctx, req);
    if (ctx.settings.developerMode) await ctx.reloader.developerReload();
    // Before the start nothing is shown (SPEC §7).
    if (ctx.clock.state() === 'before') return reply.type('application/json; charset=utf-8').send('[]');
    // Cached per player and invalidated on change: no work per request in the common case.
    return reply.type('application/json; charset=utf-8').send(ctx.state.challengesBody(player));
  });

  app.post('/api/submit', async (req): Promise<SubmitResponse> => {
    const { player } = await requirePlayer(ctx, req);
    const body = parseInput(SubmitBody, req.body);
    const outcome = await ctx.service.submit(player, body.id, body.flag, req.ip);
    switch (outcome.kind) {
      case 'closed':
        throw new HttpError(403, outcome.state);
      case 'correct':
        return { result: 'correct', points: outcome.points, total: outcome.total };
      case 'incorrect':
        return { result: 'incorrect' };
      case 'already_solved':
        return { result: 'already_solved', total: outcome.total };
      case 'unknown_id':
        throw badRequest(ErrorCode.unknownId);
      case 'locked':
        throw new HttpError(403, ErrorCode.locked);
      case 'rate_limited':
        ctx.metrics.rateLimited('submit');
        throw rateLimited(outcome.retryAfterMs);
    }
  });

  app.post('/api/hint', async (req): Promise<OkResponse> => {
    const { player } = await requirePlayer(ctx, req);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    if (raw.id === undefined || raw.id === null || raw.hint_id === undefined || raw.hint_id === null) {
      throw badRequest(ErrorCode.missingParameters);
    }
    const body = parseInput(HintBody, req.body);
    const outcome = await ctx.service.hint(player, body.id, body.hint_id);
    switch (outcome.kind) {
      case 'closed':
        throw new HttpError(403, outcome.state);
      case 'ok':
        return { result: 'ok' };
      case 'unknown_challenge':
      case 'unknown_hint':
      case 'already_purchased':
        throw badRequest(outcome.kind);
      case 'locked':
        throw new HttpError(403, ErrorCode.locked);
      case 'insufficient_points':
        throw new HttpError(402, ErrorCode.insufficientPoints);
      case 'rate_limited':
        ctx.metrics.rateLimited('hint');
        throw rateLimited(outcome.retryAfterMs);
    }
  });
}
