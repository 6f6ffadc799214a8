import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken, secretEquals } from '../../auth/secrets.js';
import type { HttpContext } from '../context.js';
import { unauthorized } from '../errors.js';

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** /metrics is for the operator: loopback, or the admin token as a Bearer token. */
function mayReadMetrics(ctx: HttpContext, req: FastifyRequest): boolean {
  // The socket address, not req.ip: a forwarded header must not make a remote client "loopback".
  if (isLoopback(req.socket.remoteAddress ?? '') && !req.headers['x-forwarded-for']) return true;
  const token = bearerToken(req.headers.authorization);
  return ctx.settings.adminToken !== null && token !== null && secretEquals(token, ctx.settings.adminToken);
}

export function opsRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const checks: Record<string, string> = { game: 'ok', database: 'ok' };
    if (!ctx.isReady()) checks.server = 'starting or stopping';
    try {
      await ctx.store.checkWritable();
    } catch {
      checks.database = 'not writable';
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });

  app.get('/metrics', async (req, reply) => {
    if (!mayReadMetrics(ctx, req)) throw unauthorized();
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
