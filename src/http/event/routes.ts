import type { FastifyInstance, FastifyRequest } from 'fastify';
import { secretEquals } from '../../auth/secrets.js';
import { SESSION_COOKIE } from '../../auth/sessions.js';
import type { BoardResponse, EventResponse } from '../../protocol/api.js';
import { adminOf } from '../admin/admin-auth.js';
import { streamUrl } from '../auth/guard.js';
import type { HttpContext } from '../context.js';
import { divisionOf } from '../division-query.js';
import { unauthorized } from '../errors.js';
import { scoreboardRoutes } from '../scoreboard/routes.js';

/** A player session or an admin; a 401 otherwise. */
async function requireSomeone(ctx: HttpContext, req: FastifyRequest): Promise<void> {
  const session = await ctx.sessions.resolve(req.cookies[SESSION_COOKIE]);
  if (session && ctx.state.playerById(session.userId)) return;
  if (await adminOf(ctx, req)) return;
  throw unauthorized();
}

/** The clock, announcements, the public board and the CTFtime feed (SPEC §7). */
export function eventRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/event', async (_req, reply): Promise<EventResponse> => {
    reply.header('cache-control', 'no-store');
    return ctx.clock.body();
  });

  app.get('/api/announcements', async (req) => {
    // The anonymous projector view lists them too when the board is public.
    if (!ctx.clock.publicScoreboard) await requireSomeone(ctx, req);
    return ctx.announcements.list();
  });

  app.get('/api/board', async (req): Promise<BoardResponse> => {
    if (!ctx.clock.publicScoreboard) await requireSomeone(ctx, req);
    return { websocket_url: streamUrl(ctx, req, ctx.tokens.issueViewer()) };
  });

  // Serialized and compressed once per change, whatever the number of readers; frozen for everyone during the freeze.
  scoreboardRoutes(app, ctx, async (req) => {
    if (!ctx.clock.publicScoreboard) await requireSomeone(ctx, req);
  });

  app.get('/api/ctftime', async (req) => {
    if (!ctx.clock.publicScoreboard) {
      const key = (req.query as Record<string, unknown>).key;
      const byKey = typeof key === 'string' && ctx.settings.feedKey !== null && secretEquals(key, ctx.settings.feedKey);
      if (!byKey && !(await adminOf(ctx, req))) throw unauthorized();
    }
    return ctx.state.ctftime(divisionOf(req.query));
  });
}
