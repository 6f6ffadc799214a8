import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { secretEquals } from '../../auth/secrets.js';
import { ErrorCode } from '../../protocol/api.js';
import type { HttpContext } from '../context.js';
import { messagePage, notConfiguredPage, resetDonePage, resetFormPage } from './pages.js';

const ResetInput = z.object({
  token: z.string().max(1000).optional(),
  confirm: z.string().max(10).optional(),
});

function wantsJson(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').includes('application/json');
}

/** Errors as JSON for scripts, as a page for the form. */
function refuse(req: FastifyRequest, reply: FastifyReply, status: number, code: string, title: string, message: string): FastifyReply {
  reply.code(status);
  if (wantsJson(req)) return reply.send({ error: code });
  return reply.type('text/html; charset=utf-8').send(status === 403 ? notConfiguredPage() : messagePage(title, message));
}

export function adminRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/reset', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(resetFormPage(ctx.settings.adminToken !== null)),
  );

  app.post('/admin/reset', async (req, reply) => {
    const { adminToken } = ctx.settings;
    if (adminToken === null) {
      return refuse(req, reply, 403, ErrorCode.resetNotConfigured, 'Reset is not configured', 'Set CTFG_ADMIN_TOKEN to enable it.');
    }
    const failKey = `token-fail:${req.ip}`;
    const wait = await ctx.limiter.peek(ctx.limits.tokenFailures, failKey);
    if (wait > 0) {
      ctx.metrics.rateLimited('admin');
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      return refuse(req, reply, 429, ErrorCode.rateLimitExceeded, 'Too many attempts', 'Too many wrong tokens; wait and try again.');
    }
    const parsed = ResetInput.safeParse(req.body ?? {});
    const input = parsed.success ? parsed.data : {};
    const query = (req.query ?? {}) as Record<string, unknown>;
    const confirmed = input.confirm === 'yes' || query.confirm === 'yes';
    if (!input.token || !secretEquals(input.token, adminToken)) {
      await ctx.limiter.charge(ctx.limits.tokenFailures, failKey);
      return refuse(req, reply, 401, ErrorCode.unauthorized, 'Wrong token', 'The admin token is not correct.');
    }
    if (!confirmed) {
      return refuse(req, reply, 400, 'confirm_required', 'Not confirmed', 'Tick the confirmation box (confirm=yes) to reset the game.');
    }
    const counts = await ctx.service.reset();
    req.log.warn({ counts }, 'game reset by admin');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(resetDonePage(counts));
  });
}
