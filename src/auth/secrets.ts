import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with the configured one in constant time (lengths hidden by hashing). */
export function secretEquals(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token from an Authorization header: the raw value, or after a `Bearer ` prefix. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim();
  const m = /^Bearer\s+(.+)$/i.exec(value);
  return (m ? (m[1] as string) : value).trim() || null;
}
