import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SCOREBOARD_AROUND_DEFAULT } from '../../protocol/api.js';
import type { StandingRow } from '../../protocol/messages.js';
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

/** One cache per board: the whole one, and each division with rows (so made-up names cannot grow the map). */
class BoardCaches {
  private readonly whole = new BoardCache();
  private readonly divisions = new Map<string, BoardCache>();

  for(division: string | null, rows: readonly StandingRow[]): BoardCache {
    if (division === null) return this.whole;
    if (rows.length === 0) return new BoardCache();
    let cache = this.divisions.get(division);
    if (!cache) this.divisions.set(division, (cache = new BoardCache()));
    return cache;
  }
}

/** Which encoded body answers this query: the whole board (or division), a page of it, or the viewer's neighbourhood. */
async function bodyFor(ctx: HttpContext, caches: BoardCaches, req: FastifyRequest, now: number): Promise<EncodedBody> {
  // The common read has no query at all: no need to run the schemas for it.
  const asked = hasKeys(req.query);
  const q = asked ? parseInput(ScoreboardQuery, req.query) : {};
  // One division's board (SPEC §9), ranked within it.
  const division = asked ? divisionOf(req.query) : null;
  const rows = ctx.state.scoreboardRows('public', division);
  const cache = caches.for(division, rows);
  if (q.around === 'me') {
    const { player } = await requirePlayer(ctx, req);
    const limit = q.limit ?? SCOREBOARD_AROUND_DEFAULT;
    const index = ctx.state.boardIndexOf(player.id, 'public', division);
    // Not on this board (yet): an empty page past its end, where their row will appear.
    const offset = index === null ? rows.length : pageAround(index, limit, rows.length);
    return cache.page(rows, offset, limit, now);
  }
  if (q.limit === undefined && q.offset === undefined) return cache.whole(rows, () => ctx.state.scoreboardBody('public', division), now);
  const offset = q.offset ?? 0;
  return cache.page(rows, offset, q.limit ?? Math.max(0, rows.length - offset), now);
}

/**
 * GET /api/scoreboard (SPEC §3, §9, docs/api.md): the public board (frozen
 * during the freeze) or one division's, whole or paged, gzip or brotli when
 * the client accepts it. Bodies are serialized and compressed once per board
 * version.
 */
export function scoreboardRoutes(app: FastifyInstance, ctx: HttpContext, access: (req: FastifyRequest) => Promise<void>): void {
  const caches = new BoardCaches();
  app.get('/api/scoreboard', async (req: FastifyRequest, reply: FastifyReply) => {
    await access(req);
    const now = Date.now();
    const encoded = await bodyFor(ctx, caches, req, now);
    const coding = pickCoding(req.headers['accept-encoding']);
    // Ready bytes are sent without another await; only the first reader of a version waits for compression.
    const { body, coding: sent } = encoded.ready(coding, now) ?? (await encoded.get(coding, now));
    reply.header('vary', 'accept-encoding');
    if (sent !== 'identity') reply.header('content-encoding', sent);
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
