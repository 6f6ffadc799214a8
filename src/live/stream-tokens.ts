import { randomBytes } from 'node:crypto';

interface Grant {
  readonly token: string;
  readonly userId: number;
  readonly sessionHash: string;
  readonly expiresAt: number;
}

/**
 * Short-lived scorestream tokens, bound to a player and a session. One live
 * token per session is reused until it is half spent, so clients that poll
 * /api/me do not grow this table.
 */
export class StreamTokens {
  private readonly byToken = new Map<string, Grant>();
  private readonly bySession = new Map<string, Grant>();

  constructor(
    private readonly lifetimeMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(userId: number, sessionHash: string): string {
    const now = this.now();
    const current = this.bySession.get(sessionHash);
    if (current && current.expiresAt - now > this.lifetimeMs / 2) return current.token;
    const grant: Grant = { token: randomBytes(24).toString('base64url'), userId, sessionHash, expiresAt: now + this.lifetimeMs };
    // The previous token stays valid until it expires: a socket may be using it.
    this.byToken.set(grant.token, grant);
    this.bySession.set(sessionHash, grant);
    this.prune(now);
    return grant.token;
  }

  /** The player the token belongs to, or null when unknown or expired. */
  verify(token: string): { userId: number; sessionHash: string } | null {
    const grant = this.byToken.get(token);
    if (!grant) return null;
    if (grant.expiresAt <= this.now()) {
      this.byToken.delete(token);
      return null;
    }
    return { userId: grant.userId, sessionHash: grant.sessionHash };
  }

  /** Logout: every token of that session dies. */
  revokeSession(sessionHash: string): void {
    this.bySession.delete(sessionHash);
    for (const [t, g] of this.byToken) if (g.sessionHash === sessionHash) this.byToken.delete(t);
  }

  revokeAll(): void {
    this.byToken.clear();
    this.bySession.clear();
  }

  private prune(now: number): void {
    if (this.byToken.size < 10_000) return;
    for (const [t, g] of this.byToken) if (g.expiresAt <= now) this.byToken.delete(t);
  }
}
