import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildHttpApp } from '../http/app.js';
import type { Banner, HttpContext, HttpSettings } from '../http/context.js';
import type { CloseSteps } from '../lifecycle/close-steps.js';
import { Scorestream } from '../live/scorestream.js';
import { PACKAGE_ROOT } from '../package-info.js';
import { clientAddressOf } from '../http/proxy-trust.js';
import type { Settings } from '../settings/settings.js';

export type HttpDeps = Omit<HttpContext, 'settings' | 'banner' | 'isReady'>;

export interface Listening {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly port: number;
}

function readBanner(bannerPath: string | null): Banner | null {
  if (!bannerPath) return null;
  const ext = path.extname(bannerPath).toLowerCase();
  return {
    path: `/game/banner${ext}`,
    contentType: ext === '.png' ? 'image/png' : 'image/jpeg',
    body: fs.readFileSync(bannerPath),
  };
}

function httpSettings(settings: Settings): HttpSettings {
  return {
    developerMode: settings.developerMode,
    websocketUrl: settings.websocketUrl,
    apiToken: settings.apiToken,
    webRoot: settings.webRoot ?? path.join(PACKAGE_ROOT, 'web', 'dist'),
    title: settings.title,
    trustProxy: settings.trustProxy,
    feedKey: settings.feedKey,
    timeouts: settings.timeouts,
  };
}

function shownUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}

/** The HTTP app and the scorestream on one port; closing stops accepting, drops sockets, then drains requests. */
export async function serveHttp(settings: Settings, bannerPath: string | null, deps: HttpDeps, closers: CloseSteps, logger: Logger): Promise<Listening> {
  let banner = readBanner(bannerPath);
  let ready = false;
  const ctx: HttpContext = {
    ...deps,
    settings: httpSettings(settings),
    banner: () => {
      if (settings.developerMode) banner = readBanner(bannerPath);
      return banner;
    },
    isReady: () => ready,
  };
  const app = await buildHttpApp(ctx, logger);
  const scorestream = new Scorestream({
    state: deps.state,
    tokens: deps.tokens,
    hub: deps.hub,
    onReject: () => deps.metrics.rateLimited('scorestream-auth'),
    clockJson: () => deps.clock.clockJson(),
    maxViewers: settings.maxViewers,
    caps: settings.socketCaps,
    addressOf: clientAddressOf(settings.trustProxy),
    allowedOrigins: settings.allowedOrigins,
  });
  scorestream.attach(app.server);
  closers.add('http', async () => {
    ready = false;
    scorestream.stopAccepting();
    deps.hub.closeAll();
    scorestream.close();
    // Stops listening and waits for in-flight requests to finish.
    await app.close();
  });
  await app.listen({ port: settings.port, host: settings.host, backlog: 4096 });
  ready = true;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  return { app, url: shownUrl(settings.host, port), port };
}
