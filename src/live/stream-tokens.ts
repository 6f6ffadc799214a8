import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionService } from '../auth/sessions.js';

export interface StreamGrant {
  readonly userId: number;
  readonly sessionHash: string;
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
  ) {}

  private mac(body: string): Buffer {
    return createHmac('sha256', this.secret).update(body).digest();
  }

  issue(userId: number, sessionHash: string): string {
    const body = `${userId}.${sessionHash}.${this.now() + this.lifetimeMs}.${randomBytes(12).toString('base64url')}`;
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
    const userId = Number(user);
    if (!sessionHash || !(Number(expires) > this.now())) return null;
    const session = await this.sessions.resolveHash(sessionHash);
    if (!session || session.userId !== userId) return null;
    return { userId, sessionHash };
  }
}
