import type { FastifyInstance } from 'fastify';
import { ErrorCode, type InvalidGameResponse, type ReloadResponse } from '../../protocol/api.js';
import type { HttpContext } from '../context.js';
import { audit, requireAdmin } from './admin-auth.js';

/**
 * POST /api/admin/reload (SPEC §8): re-reads the game folder. Problems answer
 * 422 with the `ctfg validate` report and change nothing; either way it is
 * audited (the failure by where the problems are: their text may quote flags).
 */
export function adminReloadRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post('/api/admin/reload', async (req, reply) => {
    const admin = await requireAdmin(ctx, req);
    const outcome = await ctx.reloader.reload();
    if (!outcome.ok) {
      const problems = outcome.problems.map(({ file, where, message }) => ({ file, where, message }));
      await audit(ctx, req, admin.name, 'reload_refused', { problems: problems.map((p) => `${p.file}: ${p.where}`) });
      const body: InvalidGameResponse = { error: ErrorCode.invalidGame, problems };
      return reply.code(422).send(body);
    }
    const body: ReloadResponse = { challenges: outcome.challenges, players: outcome.players, changes: outcome.changes };
    await audit(ctx, req, admin.name, 'reload', { changes: body.changes });
    return body;
  });
}
