import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ErrorCode,
  SubmissionResult,
  type OverviewResponse,
  type ScoreboardResponse,
  type SubmissionsResponse,
} from '../../protocol/api.js';
import { InputLimits } from '../../protocol/limits.js';
import { submissionView } from '../../submissions/view.js';
import type { HttpContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { requireAdmin } from './admin-auth.js';

/** Most rows per page of GET /api/admin/submissions. */
export const SUBMISSIONS_PAGE_MAX = 500;

/**
 * An empty query value (`?username=` from a form) means "no filter"; a
 * repeated one is judged as its values joined by commas (and so refused).
 */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : Array.isArray(v) ? v.join(',') : v), schema.optional());

const positiveInt = (what: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${what} must be a positive integer`)
    .transform(Number)
    .refine((n) => n >= 1, `${what} must be a positive integer`);

const SubmissionsQuery = z.object({
  username: optional(z.string().max(InputLimits.username, 'username is too long')),
  challenge_id: optional(positiveInt('challenge_id')),
  result: optional(z.enum([SubmissionResult.correct, SubmissionResult.incorrect], { message: 'result must be correct or incorrect' })),
  before_id: optional(positiveInt('before_id')),
  limit: optional(
    positiveInt('limit').refine((n) => n <= SUBMISSIONS_PAGE_MAX, `limit must be at most ${SUBMISSIONS_PAGE_MAX}`),
  ),
});

const MINUTE_MS = 60_000;
/** The overview's submissions-per-minute chart covers this many minutes, the current one last. */
export const OVERVIEW_MINUTES = 60;

/** Every minute of the window, zero where nothing was submitted. */
function minuteSeries(since: number, counted: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const byMinute = new Map(counted);
  return Array.from({ length: OVERVIEW_MINUTES }, (_, i) => {
    const minute = since + i * MINUTE_MS;
    return [minute, byMinute.get(minute) ?? 0];
  });
}

/** The submissions log and the overview (SPEC §8). */
export function submissionsRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/admin/submissions', async (req): Promise<SubmissionsResponse> => {
    await requireAdmin(ctx, req);
    const q = parseInput(SubmissionsQuery, req.query);
    let userId: number | undefined;
    if (q.username !== undefined) {
      const player = ctx.state.playerByUsername(q.username);
      if (!player) throw new HttpError(404, ErrorCode.unknownUser);
      userId = player.id;
    }
    if (q.challenge_id !== undefined && !ctx.state.currentGame.byId.has(q.challenge_id)) throw new HttpError(404, ErrorCode.unknownId);
    const rows = await ctx.store.listSubmissions({
      userId,
      challengeId: q.challenge_id,
      result: q.result,
      beforeId: q.before_id,
      limit: q.limit ?? 100,
    });
    return { submissions: rows.map(submissionView) };
  });

  app.get('/api/admin/overview', async (req): Promise<OverviewResponse> => {
    await requireAdmin(ctx, req);
    const since = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - (OVERVIEW_MINUTES - 1) * MINUTE_MS;
    const stats = await ctx.store.submissionStats(since);
    // The live board, never frozen; parsed from its cached bytes (the overview is an admin's occasional read).
    const { standings } = JSON.parse(ctx.state.scoreboardBody('admin').toString('utf8')) as ScoreboardResponse;
    return {
      event: ctx.clock.body(),
      players: ctx.state.playerCount,
      players_on_board: standings.length,
      sockets: ctx.sockets(),
      solves: standings.reduce((n, row) => n + row.solves, 0),
      wrong_submissions: stats.wrong,
      submissions_per_minute: minuteSeries(since, stats.perMinute),
      standings: standings.slice(0, 10),
    };
  });
}
