import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { ErrorCode } from '../protocol/api.js';
import { HttpError } from './errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function helmetOptions(websocketUrl: string | null): HelmetOptions {
  // 'self' covers the derived ws(s)://same-host/scorestream (CSP level 3); a
  // configured scorestream URL on another host is added by its exact origin.
  const connectSrc = ["'self'"];
  if (websocketUrl) {
    const ws = new URL(websocketUrl);
    connectSrc.push(`${ws.protocol}//${ws.host}`);
  }
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Challenge descriptions are author HTML and may carry inline styles.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // No remote images: a challenge description cannot make browsers call out (tracking, leaks).
        imgSrc: ["'self'", 'data:', 'blob:'],
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
  };
}

/**
 * The headers helmet would set, computed once: helmet builds them per request
 * (re-parsing the CSP each time), which cost a measurable share of every answer.
 */
export function securityHeaders(websocketUrl: string | null): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(helmetOptions(websocketUrl))({} as IncomingMessage, res as unknown as ServerResponse, () => undefined);
  return headers;
}

/** Security headers on every answer, and refusal of cross-site state changes. */
export function installSecurity(app: FastifyInstance, websocketUrl: string | null): void {
  const headers = securityHeaders(websocketUrl);
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(headers);
    if (!STATE_CHANGING.has(req.method)) return;
    // Requests without Origin (judge scripts, curl, load tools) rely on their credentials.
    const origin = req.headers.origin;
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, ErrorCode.forbiddenOrigin);
    if (origin === undefined) return;
    // Scheme and host exactly: http://host is another origin than https://host.
    if (origin !== `${req.protocol}://${req.host}`) throw new HttpError(403, ErrorCode.forbiddenOrigin);
  });
}
