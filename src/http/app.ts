import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { adminRoutes } from './admin/routes.js';
import { authRoutes } from './auth/routes.js';
import { awardRoutes } from './award/routes.js';
import { challengeRoutes } from './challenges/routes.js';
import type { HttpContext } from './context.js';
import { installErrorHandling } from './errors.js';
import { opsRoutes } from './ops/routes.js';
import { adminEventRoutes } from './admin/event-routes.js';
import { eventRoutes } from './event/routes.js';
import { installSecurity } from './security.js';
import { webRoutes } from './web/routes.js';

/** Largest request body: every API body is a few hundred bytes. */
const BODY_LIMIT = 16 * 1024;

/**
 * On shutdown, how long the server keeps its listener and idle keep-alive
 * connections open while answering every new request 503 (Connection: close)
 * before closing them. Without it, requests already on the wire when the
 * signal arrives (unread in a kernel buffer) are reset instead of answered.
 */
const SHUTDOWN_DRAIN_MS = 300;

/** A hop count as fastify reads it (trust the n nearest hops); its types lack the number form. */
function fastifyTrust(trust: HttpContext['settings']['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return typeof trust === 'boolean' ? trust : [...trust];
}

export async function buildHttpApp(ctx: HttpContext, logger: FastifyServerOptions['loggerInstance']): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT,
    trustProxy: fastifyTrust(ctx.settings.trustProxy),
    genReqId: () => randomUUID(),
    // Our own one-line request log (below) leaves the query string out: it may carry a token.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false },
    // Unparsable HTTP gets the same {"error": …} shape as everything else.
    clientErrorHandler(_err, socket) {
      if (!socket.writable) return socket.destroy();
      const body = '{"error":"bad_request"}';
      socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    },
  });
  installErrorHandling(app, ctx.settings.developerMode, ctx.reporter);
  // preClose runs after Fastify starts answering 503 and before it closes the listener and idle connections.
  app.addHook('preClose', async () => {
    await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_DRAIN_MS));
  });
  installSecurity(app, ctx.settings.websocketUrl);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: BODY_LIMIT });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    ctx.metrics.observeRequest(req.method, route, reply.statusCode, seconds);
    req.log.info({ method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });

  if (ctx.settings.developerMode) {
    // Developer mode: every page load sees the current challenges.json.
    app.addHook('onRequest', async (req) => {
      if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) ctx.reloadChallenges();
    });
  }

  authRoutes(app, ctx);
  challengeRoutes(app, ctx);
  awardRoutes(app, ctx);
  eventRoutes(app, ctx);
  adminRoutes(app, ctx);
  adminEventRoutes(app, ctx);
  opsRoutes(app, ctx);
  await webRoutes(app, ctx);
  return app;
}
