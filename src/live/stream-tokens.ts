import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionService } from '../auth/sessions.js';

import type { Role } from './hub.js';

export interface StreamGrant {
  readonly role: Role;
  /** 0 for admins and viewers */
  readonly userId: number;
  readonly sessionHash: string;
}

/** An admin stream opened with a Bearer token has no session: it stands for its organizer, by name. */
export function bearerSession(name: string): string {
  return `bearer-${Buffer.from(name).toString('base64url')}`;
}

/** The organizer a Bearer admin stream stands for; null for a console session's hash. */
export function bearerName(sessionHash: string): string | null {
  return sessionHash.startsWith('bearer-') ? Buffer.from(sessionHash.slice('bearer-'.length), 'base64url').toString() : null;
}

/**
 * Scorestream tokens: random, short-lived, bound to a player and a session,
 * and signed with a secret every instance shares (kept in the store), so any
 * instance can check a token another one issued. A token is only as alive as
 * its session: logout and admin reset delete the session, and the token dies
 * with it.
 */
export class StreamTokens {
  constructor(
    private readonly secret: string,
    private readonly sessions: SessionService,
    private readonly lifetimeMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
    /** whether an admin session is still alive (admin sockets die with it) */
    private readonly adminSessionAlive: (idHash: string) => Promise<boolean> = async () => false,
  ) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }

  issue(userId: number, sessionHash: string): string {
    return this.sign(String(userId), sessionHash);
  }

  /** An admin socket's token: never frozen; dies with the admin session (Bearer grants live until expiry). */
  issueAdmin(sessionHash: string): string {
    return this.sign('A', sessionHash);
  }

  /** A read-only board viewer's token (public_scoreboard): no session behind it, valid until expiry. */
  issueViewer(): string {
    return this.sign('V', '-');
  }

  private sign(who: string, sessionHash: string): string {
    const body = `${who}.${sessionHash}.${this.now() + this.lifetimeMs}.${randomBytes(12).toString('base64url')}`;
    return `${Buffer.from(body).toString('base64url')}.${this.mac(body).toString('base64url')}`;
  }

  /** The player the token belongs to, or null when forged, expired, or its session is gone. */
  async verify(token: string): Promise<StreamGrant | null> {
    if (token.length > 400) return null;
    const [encoded, signature, extra] = token.split('.');
    if (!encoded || !signature || extra !== undefined) return null;
    const body = Buffer.from(encoded, 'base64url').toString();
    const expected = this.mac(body);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const [user, sessionHash, expires] = body.split('.');
    if (!sessionHash || !(Number(expires) > this.now())) return null;
    if (user === 'V') return { role: 'viewer', userId: 0, sessionHash: '' };
    if (user === 'A') {
      return (await this.adminSessionAlive(sessionHash)) ? { role: 'admin', userId: 0, sessionHash } : null;
    }
    const userId = Number(user);
    const session = await this.sessions.resolveHash(sessionHash);
    if (!session || session.userId !== userId) return null;
    return { role: 'player', userId, sessionHash };
  }
}
