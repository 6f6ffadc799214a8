import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SCOREBOARD_AROUND_DEFAULT } from '../../protocol/api.js';
import { requirePlayer } from '../auth/guard.js';
import type { HttpContext } from '../context.js';
import { divisionOf } from '../division-query.js';
import { parseInput } from '../errors.js';
import { BoardCache } from './board-cache.js';
import type { EncodedBody } from './encoded-body.js';
import { pickCoding } from './encoding.js';
import { ScoreboardQuery } from './schema.js';

/** The first row of the `limit`-row page centred on `index`, kept inside the board. */
export function pageAround(index: number, limit: number, total: number): number {
  return Math.max(0, Math.min(index - Math.floor(limit / 2), total - limit));
}

function hasKeys(query: unknown): boolean {
  if (typeof query !== 'object' || query === null) return false;
  for (const _ in query) return true;
  return false;
}

/** Which encoded body answers this query: the whole board, a page, or the viewer's neighbourhood. */
async function bodyFor(ctx: HttpContext, cache: BoardCache, req: FastifyRequest, now: number): Promise<EncodedBody> {
  // The common read has no query at all: no need to run the schema for it.
  const q = hasKeys(req.query) ? parseInput(ScoreboardQuery, req.query) : {};
  if (q.around === 'me') {
    const { player } = await requirePlayer(ctx, req);
    const rows = ctx.state.scoreboardRows('public');
    const limit = q.limit ?? SCOREBOARD_AROUND_DEFAULT;
    const index = ctx.state.boardIndexOf(player.id, 'public');
    // Not on the board yet: an empty page past its end, where their row will appear.
    const offset = index === null ? rows.length : pageAround(index, limit, rows.length);
    return cache.page(rows, offset, limit, now);
  }
  const rows = ctx.state.scoreboardRows('public');
  if (q.limit === undefined && q.offset === undefined) return cache.whole(rows, () => ctx.state.scoreboardBody('public'), now);
  const offset = q.offset ?? 0;
  return cache.page(rows, offset, q.limit ?? Math.max(0, rows.length - offset), now);
}

/**
 * GET /api/scoreboard (SPEC §3, docs/api.md): the public board (frozen during
 * the freeze), whole or paged, gzip or brotli when the client accepts it.
 * Bodies are serialized and compressed once per board version.
 */
export function scoreboardRoutes(app: FastifyInstance, ctx: HttpContext, access: (req: FastifyRequest) => Promise<void>): void {
  const cache = new BoardCache();
  app.get('/api/scoreboard', async (req: FastifyRequest, reply: FastifyReply) => {
    await access(req);
    // One division's board (SPEC §9), ranked within it: serialized once per board version by the state.
    const division = divisionOf(req.query);
    if (division !== null) return reply.type('application/json; charset=utf-8').send(ctx.state.scoreboardBody('public', division));
    const now = Date.now();
    const encoded = await bodyFor(ctx, cache, req, now);
    const coding = pickCoding(req.headers['accept-encoding']);
    // Ready bytes are sent without another await; only the first reader of a version waits for compression.
    const { body, coding: sent } = encoded.ready(coding, now) ?? (await encoded.get(coding, now));
    reply.header('vary', 'accept-encoding');
    if (sent !== 'identity') reply.header('content-encoding', sent);
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
