import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import {
  MODERATION_REASON_MAX,
  type AdjustResponse,
  type AdminPlayersResponse,
  type ModerationResponse,
  type VisibilityResponse,
} from '../../protocol/admin.js';
import { ErrorCode, type AwardResponse } from '../../protocol/api.js';
import { InputLimits } from '../../protocol/limits.js';
import type { Player } from '../../state/player.js';
import { Id } from '../challenges/schema.js';
import type { HttpContext } from '../context.js';
import { HttpError, parseInput } from '../errors.js';
import { audit, requireAdmin, type AdminIdentity } from './admin-auth.js';

const Username = z.string().trim().min(1, 'username is required').max(InputLimits.username, 'username is too long');
const Reason = z.string().trim().max(MODERATION_REASON_MAX, `reason must be at most ${MODERATION_REASON_MAX} characters`);

const PlayersQuery = z.object({
  query: z.string().max(200, 'query is too long').default(''),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
const BanBody = z.object({ username: Username, reason: Reason.default('') });
const UserBody = z.object({ username: Username });
const UnrankedBody = z.object({ username: Username, unranked: z.boolean() });
const AdjustBody = z.object({
  username: Username,
  points: z
    .number()
    .int('points must be an integer')
    .min(-1_000_000, 'points must be between -1000000 and 1000000')
    .max(1_000_000, 'points must be between -1000000 and 1000000')
    .refine((n) => n !== 0, 'points must not be 0'),
  reason: Reason.default(''),
});
const SolveBody = z.object({ username: Username, id: Id, reason: Reason.default('') });
const VisibilityBody = z.object({ id: Id, hidden: z.boolean() });

const OK: ModerationResponse = { result: 'ok' };

/** The admin behind the request (401/403 first), its validated body, and the player it names (404). */
async function target<T extends { username: string }>(
  ctx: HttpContext,
  req: FastifyRequest,
  schema: ZodType<T>,
): Promise<{ admin: AdminIdentity; body: T; player: Player }> {
  const admin = await requireAdmin(ctx, req);
  const body = parseInput(schema, req.body);
  const player = ctx.moderation.player(body.username);
  if (!player) throw new HttpError(404, ErrorCode.unknownUser);
  return { admin, body, player };
}

function knownChallenge(ctx: HttpContext, id: number): void {
  if (!ctx.state.currentGame.byId.has(id)) throw new HttpError(404, ErrorCode.unknownId);
}

/** Players list and moderation (SPEC §8): ban, unban, clear name, unranked, adjust, award, revoke, visibility. */
export function adminPlayersRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/admin/players', async (req): Promise<AdminPlayersResponse> => {
    await requireAdmin(ctx, req);
    return ctx.moderation.players(parseInput(PlayersQuery, req.query));
  });

  app.post('/api/admin/players/ban', async (req): Promise<ModerationResponse> => {
    const { admin, body, player } = await target(ctx, req, BanBody);
    await ctx.moderation.setBan(player, body.reason);
    await audit(ctx, req, admin.name, 'ban', { username: player.username, reason: body.reason });
    return OK;
  });

  app.post('/api/admin/players/unban', async (req): Promise<ModerationResponse> => {
    const { admin, player } = await target(ctx, req, UserBody);
    await ctx.moderation.setBan(player, null);
    await audit(ctx, req, admin.name, 'unban', { username: player.username });
    return OK;
  });

  app.post('/api/admin/players/clear-name', async (req): Promise<ModerationResponse> => {
    const { admin, player } = await target(ctx, req, UserBody);
    const cleared = await ctx.moderation.clearName(player);
    await audit(ctx, req, admin.name, 'clear_name', { username: player.username, name: cleared });
    return OK;
  });

  app.post('/api/admin/players/unranked', async (req): Promise<ModerationResponse> => {
    const { admin, body, player } = await target(ctx, req, UnrankedBody);
    await ctx.moderation.setUnranked(player, body.unranked);
    await audit(ctx, req, admin.name, 'unranked', { username: player.username, unranked: body.unranked });
    return OK;
  });

  scoreRoutes(app, ctx);
}

/** The admin's changes to scores and challenges. */
function scoreRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post('/api/admin/adjust', async (req): Promise<AdjustResponse> => {
    const { admin, body, player } = await target(ctx, req, AdjustBody);
    const event = await ctx.moderation.adjust(player, body.points, body.reason);
    await audit(ctx, req, admin.name, 'adjust', { username: player.username, points: body.points, reason: body.reason, event: event.id });
    return { result: 'ok', id: event.id, score: ctx.state.liveScore(player) };
  });

  app.post('/api/admin/award', async (req): Promise<AwardResponse> => {
    const { admin, body, player } = await target(ctx, req, SolveBody);
    knownChallenge(ctx, body.id);
    const outcome = await ctx.service.award(player.username, body.id, { anyClock: true });
    await audit(ctx, req, admin.name, 'award', { username: player.username, id: body.id, reason: body.reason, outcome: outcome.kind });
    switch (outcome.kind) {
      case 'ok':
        return { result: 'ok' };
      case 'already_solved':
        return { result: 'already_solved', total: outcome.total };
      case 'unknown_id':
        throw new HttpError(404, ErrorCode.unknownId);
      case 'unknown_user':
        throw new HttpError(404, ErrorCode.unknownUser);
      case 'banned':
        throw new HttpError(403, ErrorCode.banned);
      case 'closed':
        throw new HttpError(403, outcome.state);
    }
  });

  app.post('/api/admin/solves/revoke', async (req): Promise<ModerationResponse> => {
    const { admin, body, player } = await target(ctx, req, SolveBody);
    knownChallenge(ctx, body.id);
    const event = await ctx.moderation.revoke(player, body.id, body.reason);
    if (!event) throw new HttpError(409, ErrorCode.notSolved);
    await audit(ctx, req, admin.name, 'revoke', { username: player.username, id: body.id, reason: body.reason, event: event.id });
    return OK;
  });

  app.post('/api/admin/challenges/visibility', async (req): Promise<VisibilityResponse> => {
    const admin = await requireAdmin(ctx, req);
    const body = parseInput(VisibilityBody, req.body);
    knownChallenge(ctx, body.id);
    const hidden = await ctx.moderation.setHidden(body.id, body.hidden);
    await audit(ctx, req, admin.name, 'visibility', { id: body.id, hidden: body.hidden });
    return { result: 'ok', hidden };
  });
}
