import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isIsoTime, scheduleProblems } from '../../config/event-file.js';
import { ANNOUNCEMENT_MAX_CHARS, ErrorCode, type AuditResponse, type BoardResponse } from '../../protocol/api.js';
import { streamUrl } from '../auth/guard.js';
import { bearerSession } from '../../live/stream-tokens.js';
import type { HttpContext } from '../context.js';
import { HttpError, invalidInput, parseInput } from '../errors.js';
import { divisionOf } from '../division-query.js';
import { ADMIN_COOKIE, audit, checkAdminToken, requireAdmin, requireConfigured, startAdminSession } from './admin-auth.js';

const LoginBody = z.object({
  token: z.string().min(1).max(1000),
  // Required unless admins.csv names the organizers.
  name: z.string().trim().min(1, 'name must be 1–40 characters').max(40, 'name must be 1–40 characters').optional(),
});

const Time = z
  .string()
  .refine(isIsoTime, 'must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:00:00Z')
  .transform((t) => Date.parse(t))
  .nullable()
  .optional();

const EventBody = z.object({ start: Time, end: Time, freeze: Time, paused: z.boolean().optional() });

const AnnouncementBody = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'text must not be empty')
    .max(ANNOUNCEMENT_MAX_CHARS, `text must be at most ${ANNOUNCEMENT_MAX_CHARS} characters`),
});

const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before_id: z.coerce.number().int().min(1).optional(),
});

/** Admin login and the admin endpoints of running the event (SPEC §7, §8). */
export function adminEventRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post('/api/admin/login', async (req, reply) => {
    requireConfigured(ctx);
    const body = parseInput(LoginBody, req.body);
    if (body.name === undefined && !ctx.admins.fromFile) throw invalidInput('name: say who is acting (1–40 characters)');
    const who = await checkAdminToken(ctx, req, body.token);
    if (who === null) {
      await audit(ctx, req, body.name ?? '(unknown)', 'login_failed');
      throw new HttpError(401, ErrorCode.unauthorized);
    }
    // admins.csv names everyone; without it the organizer says who they are.
    const name = ctx.admins.fromFile || body.name === undefined ? who : body.name;
    await startAdminSession(ctx, req, reply, name);
    await audit(ctx, req, name, 'login');
    return reply.code(204).send();
  });

  app.post('/api/admin/logout', async (req, reply) => {
    const admin = await requireAdmin(ctx, req);
    if (admin.sessionHash !== null) {
      await ctx.store.deleteAdminSession(admin.sessionHash);
      ctx.hub.closeSession(admin.sessionHash);
    }
    await audit(ctx, req, admin.name, 'logout');
    reply.clearCookie(ADMIN_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  adminClockRoutes(app, ctx);
  adminReadRoutes(app, ctx);
}

/** Schedule, pause, reveal and announcements. */
function adminClockRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post('/api/admin/event', async (req) => {
    const admin = await requireAdmin(ctx, req);
    const body = parseInput(EventBody, req.body);
    const current = ctx.clock.schedule;
    const next = { start: body.start ?? current.start, end: body.end ?? current.end, freeze: body.freeze ?? current.freeze };
    for (const f of ['start', 'end', 'freeze'] as const) if (body[f] === null) next[f] = null;
    const problem = scheduleProblems(next)[0];
    if (problem) throw invalidInput(`${problem[0]}: ${problem[1]}`);
    await ctx.clock.change(body);
    await ctx.publish({ kind: 'settings' });
    await audit(ctx, req, admin.name, 'event', req.body);
    return ctx.clock.body();
  });

  app.post('/api/admin/event/reveal', async (req) => {
    const admin = await requireAdmin(ctx, req);
    const revealed = await ctx.clock.reveal();
    if (revealed) await ctx.publish({ kind: 'settings' });
    await audit(ctx, req, admin.name, 'reveal', revealed ? '' : 'no freeze in force');
    return ctx.clock.body();
  });

  app.post('/api/admin/announcements', async (req, reply) => {
    const admin = await requireAdmin(ctx, req);
    const { text } = parseInput(AnnouncementBody, req.body);
    const added = await ctx.announcements.add(text);
    await audit(ctx, req, admin.name, 'announce', { id: added?.id, text });
    return reply.code(201).send(added);
  });

  app.delete('/api/admin/announcements/:id', async (req, reply) => {
    const admin = await requireAdmin(ctx, req);
    const id = Number((req.params as { id: string }).id);
    if (!Number.isSafeInteger(id) || !(await ctx.announcements.remove(id))) throw new HttpError(404, ErrorCode.unknownId);
    await audit(ctx, req, admin.name, 'delete_announcement', { id });
    return reply.code(204).send();
  });

}

/** The admin's live views: stream, audit log and the never-frozen board. */
function adminReadRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/admin/stream-url', async (req): Promise<BoardResponse> => {
    const admin = await requireAdmin(ctx, req);
    return { websocket_url: streamUrl(ctx, req, ctx.tokens.issueAdmin(admin.sessionHash ?? bearerSession(admin.name))) };
  });

  app.get('/api/admin/audit', async (req): Promise<AuditResponse> => {
    await requireAdmin(ctx, req);
    const q = parseInput(AuditQuery, req.query);
    return { entries: await ctx.store.listAudit(q.limit, q.before_id ?? null) };
  });

  app.get('/api/admin/scoreboard', async (req, reply) => {
    await requireAdmin(ctx, req);
    return reply.type('application/json; charset=utf-8').send(ctx.state.scoreboardBody('admin', divisionOf(req.query)));
  });
}
