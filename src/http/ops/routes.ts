import type { FastifyInstance, FastifyRequest } from 'fastify';
import { bearerToken } from '../../auth/secrets.js';
import type { HealthResponse, ReadyResponse } from '../../protocol/api.js';
import { judgeAdminToken } from '../auth/tokens.js';
import type { HttpContext } from '../context.js';
import { rateLimited, unauthorized } from '../errors.js';

/** Headers a proxy adds: a request carrying any of them (even empty) came through one. */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/**
 * The socket address, not req.ip, and only when nothing was proxied: a
 * reverse proxy on the same machine connects from loopback on behalf of
 * anyone, so a proxied request is never "from loopback".
 */
export function isDirectLoopback(req: FastifyRequest): boolean {
  if (!isLoopback(req.socket.remoteAddress ?? '')) return false;
  return PROXY_HEADERS.every((h) => req.headers[h] === undefined);
}

/** /metrics is for the operator: loopback, or an admin token as a Bearer token (under the token-failure bucket). */
async function requireMetricsAccess(ctx: HttpContext, req: FastifyRequest): Promise<void> {
  if (isDirectLoopback(req)) return;
  const check = await judgeAdminToken(ctx, req, bearerToken(req.headers.authorization));
  if (check.kind === 'rate_limited') {
    ctx.metrics.rateLimited('metrics');
    throw rateLimited(check.retryAfterMs);
  }
  if (check.kind === 'wrong') throw unauthorized();
}

export function opsRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/healthz', async (): Promise<HealthResponse> => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const checks: Record<string, string> = { game: 'ok', database: 'ok' };
    if (!ctx.isReady()) checks.server = 'starting or stopping';
    try {
      await ctx.store.checkWritable();
    } catch {
      checks.database = 'not writable';
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    const body: ReadyResponse = { status: ready ? 'ready' : 'unavailable', checks };
    return reply.code(ready ? 200 : 503).send(body);
  });

  app.get('/metrics', async (req, reply) => {
    await requireMetricsAccess(ctx, req);
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}
