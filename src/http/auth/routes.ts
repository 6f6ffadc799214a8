import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorCode, type BannedResponse, type LoginResponse, type MeResponse, type OkResponse } from '../../protocol/api.js';
import type { HttpContext } from '../context.js';
import { HttpError, invalidInput, parseInput, rateLimited } from '../errors.js';
import { requirePlayer, setSessionCookie, websocketUrl } from './guard.js';
import { LoginBody, SetNameBody } from './schema.js';
import { SESSION_COOKIE } from '../../auth/sessions.js';

const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

export function authRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.post('/api/login', async (req, reply): Promise<LoginResponse | FastifyReply> => {
    const body = parseInput(LoginBody, req.body);
    const outcome = await ctx.service.login(body.username.trim(), body.password, req.ip);
    if (outcome.kind === 'rate_limited') {
      ctx.metrics.rateLimited('login');
      throw rateLimited(outcome.retryAfterMs);
    }
    if (outcome.kind === 'invalid_credentials') {
      // The address and the name tried, never the password.
      req.log.warn({ address: req.ip, username: body.username.trim().slice(0, 64) }, 'login failed');
      throw new HttpError(401, ErrorCode.invalidCredentials);
    }
    if (outcome.kind === 'banned') {
      const answer: BannedResponse = { error: ErrorCode.banned, reason: outcome.reason };
      return reply.code(403).send(answer);
    }
    // A fresh session id at every login, and the session this browser had before
    // ends: a cookie from before the login is never accepted after it (no fixation).
    const previous = await ctx.sessions.resolve(req.cookies[SESSION_COOKIE]);
    if (previous) await ctx.service.logout(previous);
    setSessionCookie(reply, req, outcome.cookie, SESSION_MAX_AGE_S);
    const answer: LoginResponse = {
      displayname: outcome.player.displayname,
      needs_name: outcome.player.displayname === null,
      websocket_url: websocketUrl(ctx, req, outcome.session),
      ...(outcome.player.team !== null ? { team: outcome.player.team } : {}),
    };
    return answer;
  });

  app.post('/api/logout', async (req, reply) => {
    const { session } = await requirePlayer(ctx, req);
    await ctx.service.logout(session);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  profileRoutes(app, ctx);
}

/** The logged-in player's own profile: who they are and the display name they pick. */
function profileRoutes(app: FastifyInstance, ctx: HttpContext): void {
  app.get('/api/me', async (req): Promise<MeResponse> => {
    const { player, session } = await requirePlayer(ctx, req);
    const answer: MeResponse = {
      username: player.username,
      displayname: player.displayname,
      needs_name: player.displayname === null,
      websocket_url: websocketUrl(ctx, req, session),
      score: ctx.state.ownScore(player),
      ...(player.team !== null ? { team: player.team } : {}),
      ...(player.division !== null ? { division: player.division } : {}),
    };
    return answer;
  });

  app.post('/api/set-name', async (req): Promise<OkResponse> => {
    const { player } = await requirePlayer(ctx, req);
    const body = parseInput(SetNameBody, req.body);
    const outcome = await ctx.service.setName(player, body.name);
    switch (outcome.kind) {
      case 'ok':
        return { result: 'ok' };
      case 'invalid':
        throw invalidInput(outcome.message);
      case 'name_taken':
        throw new HttpError(409, ErrorCode.nameTaken);
      case 'rate_limited':
        ctx.metrics.rateLimited('set-name');
        throw rateLimited(outcome.retryAfterMs);
    }
  });
}
