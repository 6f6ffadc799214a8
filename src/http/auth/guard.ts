import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, type Session } from '../../auth/sessions.js';
import type { Player } from '../../state/player.js';
import type { HttpContext } from '../context.js';
import { unauthorized } from '../errors.js';

export interface Authenticated {
  readonly player: Player;
  readonly session: Session;
}

/** The logged-in player behind the session cookie, or a 401. */
export async function requirePlayer(ctx: HttpContext, req: FastifyRequest): Promise<Authenticated> {
  const session = await ctx.sessions.resolve(req.cookies[SESSION_COOKIE]);
  const player = session ? ctx.state.playerById(session.userId) : undefined;
  // A ban ends the sessions in the store; this also covers a cached one on another instance.
  if (!session || !player || player.banReason !== null) throw unauthorized();
  return { player, session };
}

const SAFE_HOST = /^[A-Za-z0-9.\-:[\]]{1,260}$/;

/** The scorestream URL for this browser: configured with -w, or derived from the request. */
export function websocketUrl(ctx: HttpContext, req: FastifyRequest, session: Session): string {
  return streamUrl(ctx, req, ctx.tokens.issue(session.userId, session.idHash));
}

/** The scorestream URL carrying a given token (player, admin or viewer). */
export function streamUrl(ctx: HttpContext, req: FastifyRequest, token: string): string {
  const configured = ctx.settings.websocketUrl;
  if (configured) return `${configured}${configured.includes('?') ? '&' : '?'}token=${token}`;
  const host = SAFE_HOST.test(req.host) ? req.host : 'localhost';
  return `${req.protocol === 'https' ? 'wss' : 'ws'}://${host}/scorestream?token=${token}`;
}

export function setSessionCookie(reply: FastifyReply, req: FastifyRequest, value: string, maxAgeSeconds: number): void {
  reply.setCookie(SESSION_COOKIE, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: req.protocol === 'https',
    maxAge: maxAgeSeconds,
  });
}
