import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErrorCode } from '../../protocol/api.js';
import { InputLimits } from '../../protocol/limits.js';
import type { HttpContext } from '../context.js';
import { retryAfterSeconds, sendError } from '../errors.js';
import { judgeAdminToken } from '../auth/tokens.js';
import { audit } from './admin-auth.js';
import { adminConsoleRoutes } from './console-routes.js';
import { exportRoutes } from './export-routes.js';
import { adminReloadRoutes } from './reload-routes.js';
import { messagePage, notConfiguredPage, resetDonePage, resetFormPage } from './pages.js';
import { adminPlayersRoutes } from './players-routes.js';
import { submissionsRoutes } from './submissions-routes.js';

const ResetInput = z.object({
  token: z.string().max(InputLimits.token).optional(),
  confirm: z.string().max(10).optional(),
});

function wantsJson(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').includes('application/json');
}

/** Errors as JSON for scripts, as a page for the form. */
function refuse(req: FastifyRequest, reply: FastifyReply, status: number, code: ErrorCode, title: string, message: string): FastifyReply {
  if (wantsJson(req)) return sendError(reply, status, code);
  reply.code(status);
  return reply.type('text/html; charset=utf-8').send(status === 403 ? notConfiguredPage() : messagePage(title, message));
}

export function adminRoutes(app: FastifyInstance, ctx: HttpContext): void {
  adminConsoleRoutes(app, ctx);
  adminPlayersRoutes(app, ctx);
  adminReloadRoutes(app, ctx);
  app.get('/reset', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(resetFormPage(ctx.admins.configured)),
  );

  app.post('/admin/reset', async (req, reply) => {
    if (!ctx.admins.configured) {
      return refuse(req, reply, 403, ErrorCode.resetNotConfigured, 'Reset is not configured', 'Set CTFG_ADMIN_TOKEN to enable it.');
    }
    const parsed = ResetInput.safeParse(req.body ?? {});
    const input = parsed.success ? parsed.data : {};
    const check = await judgeAdminToken(ctx, req, input.token);
    if (check.kind === 'rate_limited') {
      ctx.metrics.rateLimited('admin');
      reply.header('retry-after', retryAfterSeconds(check.retryAfterMs));
      return refuse(req, reply, 429, ErrorCode.rateLimitExceeded, 'Too many attempts', 'Too many wrong tokens; wait and try again.');
    }
    if (check.kind === 'wrong') {
      req.log.warn({ address: req.ip }, 'admin reset refused: wrong token');
      return refuse(req, reply, 401, ErrorCode.unauthorized, 'Wrong token', 'The admin token is not correct.');
    }
    const query = (req.query ?? {}) as Record<string, unknown>;
    if (input.confirm !== 'yes' && query.confirm !== 'yes') {
      return refuse(req, reply, 400, ErrorCode.confirmRequired, 'Not confirmed', 'Tick the confirmation box (confirm=yes) to reset the game.');
    }
    const counts = await ctx.service.reset();
    await audit(ctx, req, check.who, 'reset', counts);
    req.log.warn({ counts, address: req.ip }, 'game reset by admin');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(resetDonePage(counts));
  });

  submissionsRoutes(app, ctx);
  exportRoutes(app, ctx);
}
