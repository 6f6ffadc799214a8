import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { ErrorCode } from '../protocol/api.js';
import { HttpError } from './errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Security headers on every answer, and refusal of cross-site state changes. */
export async function installSecurity(app: FastifyInstance, websocketUrl: string | null): Promise<void> {
  const connectSrc = ["'self'", 'ws:', 'wss:'];
  if (websocketUrl) connectSrc.push(new URL(websocketUrl).origin);
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Challenge descriptions are author HTML and may carry inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:', 'http:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc,
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    // Plain-http events on an isolated network are common; HSTS would lock them out of http.
    strictTransportSecurity: false,
  });

  app.addHook('onRequest', async (req) => {
    if (!STATE_CHANGING.has(req.method)) return;
    // Requests without Origin (judge scripts, curl, load tools) rely on their credentials.
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site') throw new HttpError(403, ErrorCode.forbiddenOrigin);
    if (origin === undefined) return;
    let host: string | null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host === null || host !== req.host) throw new HttpError(403, ErrorCode.forbiddenOrigin);
  });
}
