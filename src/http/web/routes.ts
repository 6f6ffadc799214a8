import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ADMIN_PATH } from '../../protocol/console.js';
import { BOARD_PATH, type ConfigResponse } from '../../protocol/api.js';
import type { HttpContext } from '../context.js';

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>ctfg</title>
<body style="font:16px system-ui;background:#0f172a;color:#e2e8f0;padding:2rem">
<h1>ctfg is running</h1><p>The web app is not built. Run <code>npm run build</code> and restart.</p>`;

const realRoots = new Map<string, string>();

/** Resolves symlinks: a link planted in the web root that points outside it is never followed. */
function insideRoot(root: string, urlPath: string): boolean {
  if (urlPath.includes('\0')) return false;
  let realRoot = realRoots.get(root);
  if (!realRoot) realRoots.set(root, (realRoot = fs.realpathSync(root)));
  try {
    const real = fs.realpathSync(path.join(root, decodeURIComponent(urlPath)));
    return real === realRoot || real.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}

/**
 * The single-page app and the game's banner. Files are listed once at start
 * (`wildcard: false`), so only files that exist under the web root are
 * routable at all: no path a client writes can reach anything else.
 */
export async function webRoutes(app: FastifyInstance, ctx: HttpContext): Promise<void> {
  const root = path.resolve(ctx.settings.webRoot);
  if (fs.existsSync(path.join(root, 'index.html'))) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      // Production lists files once (only what exists is routable); developer
      // mode looks files up per request so a rebuilt app shows without a restart.
      wildcard: ctx.settings.developerMode,
      index: ['index.html'],
      dotfiles: 'deny',
      allowedPath: (pathName) => insideRoot(root, pathName),
      cacheControl: false,
      setHeaders(res, filePath) {
        const hashed = filePath.startsWith(path.join(root, 'assets') + path.sep);
        // Hashed asset names change with their content: cache forever. The HTML must be revalidated.
        res.header('cache-control', hashed && !ctx.settings.developerMode ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // The projector view is a route of the app (SPEC §7).
    app.get(BOARD_PATH, async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    // The admin console is a lazy-loaded part of the app; its pages are deep links (SPEC §8).
    app.get(ADMIN_PATH, async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    app.get(`${ADMIN_PATH}/*`, async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
  } else {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
    app.get(BOARD_PATH, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
    app.get(ADMIN_PATH, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
    app.get(`${ADMIN_PATH}/*`, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
  }

  app.get('/api/config', async (): Promise<ConfigResponse> => {
    const banner = ctx.banner();
    // event.yaml's title (as last reloaded) wins over CTFG_TITLE.
    return { title: ctx.clock.title ?? ctx.settings.title, banner: banner ? banner.path : null };
  });

  app.get('/game/:file', async (req, reply) => {
    const banner = ctx.banner();
    const { file } = req.params as { file: string };
    if (!banner || banner.path !== `/game/${file}`) return reply.callNotFound();
    return reply
      .type(banner.contentType)
      .header('cache-control', ctx.settings.developerMode ? 'no-cache' : 'public, max-age=300')
      .send(banner.body);
  });
}
