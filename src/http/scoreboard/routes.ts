import type { FastifyInstance } from 'fastify';
import { requirePlayer } from '../auth/guard.js';
import type { HttpContext } from '../context.js';

export function scoreboardRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/scoreboard', async (req, reply) => {
    await requirePlayer(ctx, req);
    // Serialized once per change, whatever the number of readers.
    return reply.type('application/json; charset=utf-8').send(ctx.state.scoreboardBody());
  });
}
