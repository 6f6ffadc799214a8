import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { adminRoutes } from './admin/routes.js';
import { authRoutes } from './auth/routes.js';
import { awardRoutes } from './award/routes.js';
import { challengeRoutes } from './challenges/routes.js';
import type { HttpContext } from './context.js';
import { HttpError, installErrorHandling, sendError } from './errors.js';
import { opsRoutes } from './ops/routes.js';
import { adminEventRoutes } from './admin/event-routes.js';
import { eventRoutes } from './event/routes.js';
import type { TrustProxy } from './proxy-trust.js';
import { installSecurity } from './security.js';
import { DEFAULT_TIMEOUTS, checkingIntervalMs } from './timeouts.js';
import { ErrorCode } from '../protocol/api.js';
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

/** Unparsable or too-slow HTTP gets the same {"error": …} shape as everything else. */
function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return void socket.destroy();
  const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const body = JSON.stringify({ error: timeout ? ErrorCode.requestTimeout : ErrorCode.badRequest });
  const status = timeout ? '408 Request Timeout' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
}

/** Fastify's form of the setting: a hop count becomes "the first n hops from the socket are proxies". */
function fastifyTrustProxy(t: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof t === 'number') return (_address, hop) => hop < t;
  return t === false ? false : [...t];
}

export async function buildHttpApp(ctx: HttpContext, logger: FastifyServerOptions['loggerInstance']): Promise<FastifyInstance> {
  const timeouts = ctx.settings.timeouts ?? DEFAULT_TIMEOUTS;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: BODY_LIMIT,
    trustProxy: fastifyTrustProxy(ctx.settings.trustProxy),
    requestTimeout: timeouts.requestMs,
    http: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: checkingIntervalMs(timeouts) },
    genReqId: () => randomUUID(),
    // Our own one-line request log (below) leaves the query string out: it may carry a token.
    logController: new LogController({ disableRequestLogging: true }),
    // Our own 503 while closing (below): Fastify's body is outside the error catalogue.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: false },
    clientErrorHandler: answerClientError,
    // URLs the router cannot decode (`/%`) answer like every other 400.
    frameworkErrors: (_err, _req, reply) => void sendError(reply, 400, ErrorCode.badRequest),
  });
  installErrorHandling(app, ctx.settings.developerMode, ctx.reporter);
  let closing = false;
  // Load shedding while draining: Fastify already adds Connection: close.
  app.addHook('onRequest', async () => {
    if (closing) throw new HttpError(503, ErrorCode.unavailable);
  });
  // preClose runs once Fastify is closing and before it closes the listener and idle connections.
  app.addHook('preClose', async () => {
    closing = true;
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
      if (req.method === 'GET' && (req.url === '/' || req.url === '/index.html')) await ctx.reloader.developerReload();
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
