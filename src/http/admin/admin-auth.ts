import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../../auth/secrets.js';
import { hashSecret } from '../../auth/sessions.js';
import { ErrorCode } from '../../protocol/api.js';
import { judgeAdminToken } from '../auth/tokens.js';
import type { HttpContext } from '../context.js';
import { HttpError, rateLimited, unauthorized } from '../errors.js';

export const ADMIN_COOKIE = 'ctfg_admin';
export const ADMIN_SESSION_MS = 12 * 60 * 60 * 1000;

/** Who is acting: a logged-in organizer, or a script with a Bearer token (named from admins.csv, or "token"). */
export interface AdminIdentity {
  readonly name: string;
  /** null for Bearer requests */
  readonly sessionHash: string | null;
}

/** 403 admin_not_configured without CTFG_ADMIN_TOKEN or admins.csv. */
export function requireConfigured(ctx: HttpContext): void {
  if (!ctx.admins.configured) throw new HttpError(403, ErrorCode.adminNotConfigured);
}

/**
 * The organizer a presented admin token belongs to (ENV_ADMIN_NAME for
 * CTFG_ADMIN_TOKEN), or null; judged under the per-address token-failure
 * bucket shared with award, reset and /metrics. Hashed admins.csv tokens are
 * checked slowly, with the failure reserved first.
 */
export async function checkAdminToken(ctx: HttpContext, req: FastifyRequest, presented: string | null | undefined): Promise<string | null> {
  const verdict = await judgeAdminToken(ctx, req, presented);
  if (verdict.kind === 'rate_limited') {
    ctx.metrics.rateLimited('admin');
    throw rateLimited(verdict.retryAfterMs);
  }
  return verdict.kind === 'ok' ? verdict.who : null;
}

/** The admin behind the request (ctfg_admin cookie or Bearer admin token), or 401/403. */
export async function requireAdmin(ctx: HttpContext, req: FastifyRequest): Promise<AdminIdentity> {
  requireConfigured(ctx);
  const identity = await adminOf(ctx, req);
  if (!identity) throw unauthorized();
  return identity;
}

/** Like requireAdmin, but null instead of an error (routes that admit admins among others). */
export async function adminOf(ctx: HttpContext, req: FastifyRequest): Promise<AdminIdentity | null> {
  if (!ctx.admins.configured) return null;
  const header = req.headers.authorization;
  if (header && /^Bearer\s/i.test(header)) {
    const name = await checkAdminToken(ctx, req, bearerToken(header));
    if (name !== null) return { name, sessionHash: null };
    throw unauthorized();
  }
  const cookie = req.cookies[ADMIN_COOKIE];
  if (!cookie || cookie.length > 200) return null;
  const idHash = hashSecret(cookie);
  const session = await ctx.store.getAdminSession(idHash);
  if (!session || session.expiresAt <= Date.now() || !ctx.admins.sessionStands(session.name)) return null;
  return { name: session.name, sessionHash: idHash };
}

/** Starts an admin session and sets its cookie (HttpOnly, SameSite=Strict, 12 h). */
export async function startAdminSession(ctx: HttpContext, req: FastifyRequest, reply: FastifyReply, name: string): Promise<void> {
  const cookie = randomBytes(32).toString('base64url');
  const now = Date.now();
  await ctx.store.createAdminSession({ idHash: hashSecret(cookie), name, createdAt: now, expiresAt: now + ADMIN_SESSION_MS });
  reply.setCookie(ADMIN_COOKIE, cookie, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: req.protocol === 'https',
    maxAge: ADMIN_SESSION_MS / 1000,
  });
}

/** Records an admin action (or login attempt) in the audit log. */
export async function audit(ctx: HttpContext, req: FastifyRequest, admin: string, action: string, detail: unknown = ''): Promise<void> {
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  await ctx.store.addAudit({ ts: Date.now(), admin, address: req.ip, action, detail: text.slice(0, 2000) });
}
