import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../storage/store.js';

export const SESSION_COOKIE = 'ctfg_session';
const DAY_MS = 24 * 60 * 60 * 1000;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface Session {
  readonly idHash: string;
  readonly userId: number;
  readonly expiresAt: number;
}

interface Cached {
  readonly session: Session;
  readonly checkedAt: number;
}

export interface SessionOptions {
  readonly lifetimeMs?: number;
  /**
   * With several instances: how long a cached session is trusted before the
   * store is asked again, so a logout whose bus message was lost still ends
   * the session everywhere within this time. Default: forever (one instance
   * sees every logout itself).
   */
  readonly recheckMs?: number;
  readonly now?: () => number;
  /** sessions one player may hold; a login past it ends the oldest (default 10) */
  readonly maxPerPlayer?: number;
}

/**
 * Browser sessions: random ids in the cookie, only their hashes stored, so the
 * database never holds a usable cookie. Stored sessions survive restarts; a
 * small cache keeps the store off the hot path.
 */
export class SessionService {
  private readonly cache = new Map<string, Cached>();
  private readonly lifetimeMs: number;
  private readonly recheckMs: number;
  private readonly now: () => number;
  private readonly maxPerPlayer: number;

  constructor(
    private readonly store: Store,
    options: SessionOptions = {},
  ) {
    this.lifetimeMs = options.lifetimeMs ?? 7 * DAY_MS;
    this.recheckMs = options.recheckMs ?? Infinity;
    this.now = options.now ?? Date.now;
    this.maxPerPlayer = options.maxPerPlayer ?? 10;
  }

  private remember(session: Session): void {
    if (this.cache.size > 100_000) this.cache.clear();
    this.cache.set(session.idHash, { session, checkedAt: this.now() });
  }

  /** A new session; `dropped` are the player's oldest sessions it pushed past the cap. */
  async create(userId: number): Promise<{ cookie: string; session: Session; dropped: string[] }> {
    const cookie = randomBytes(32).toString('base64url');
    const createdAt = this.now();
    const session: Session = { idHash: hashSecret(cookie), userId, expiresAt: createdAt + this.lifetimeMs };
    await this.store.createSession({ ...session, createdAt });
    this.remember(session);
    const dropped = await this.store.trimSessions(userId, this.maxPerPlayer);
    for (const idHash of dropped) this.cache.delete(idHash);
    return { cookie, session, dropped };
  }

  /**
   * Ends the sessions of players no longer in credentials.csv (at start, and
   * at reload); answers how many ended.
   */
  async endSessionsExcept(usernames: readonly string[]): Promise<number> {
    const ended = await this.store.deleteSessionsExcept(usernames);
    // Cached entries of removed players would outlive the rows; start clean.
    if (ended > 0) this.cache.clear();
    return ended;
  }

  async resolve(cookie: string | undefined): Promise<Session | null> {
    if (!cookie || cookie.length > 200) return null;
    return this.resolveHash(hashSecret(cookie));
  }

  async resolveHash(idHash: string): Promise<Session | null> {
    const cached = this.cache.get(idHash);
    let session = cached && this.now() - cached.checkedAt < this.recheckMs ? cached.session : null;
    if (!session) {
      this.cache.delete(idHash);
      const stored = await this.store.getSession(idHash);
      if (stored) {
        session = { idHash, userId: stored.userId, expiresAt: stored.expiresAt };
        this.remember(session);
      }
    }
    if (session && session.expiresAt <= this.now()) {
      this.cache.delete(idHash);
      return null;
    }
    return session;
  }

  async destroy(session: Session): Promise<void> {
    this.cache.delete(session.idHash);
    await this.store.deleteSession(session.idHash);
  }

  /** Another instance logged this session out. */
  forget(idHash: string): void {
    this.cache.delete(idHash);
  }

  /** A banned player: their sessions are gone from the store; forget the cached ones. */
  forgetUser(userId: number): void {
    for (const [idHash, c] of this.cache) if (c.session.userId === userId) this.cache.delete(idHash);
  }

  /** After an admin reset: every session is gone from the store; forget the cached ones. */
  forgetAll(): void {
    this.cache.clear();
  }
}
