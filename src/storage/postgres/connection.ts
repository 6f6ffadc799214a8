import type pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/** A PostgreSQL URL plus the user libpq would pick when the URL names none. */
export interface PostgresConnection {
  readonly url: string;
  /** PGUSER or the operating-system user, resolved by the caller (no env reads here) */
  readonly defaultUser: string;
}

/**
 * Checks a URL in any form libpq accepts, e.g. `postgresql://user@/db?host=/run/postgresql`
 * or `postgresql:///db?host=/tmp`; returns why it is refused, or null.
 * The WHATWG URL parser refuses an empty host, so pg's own parser is used.
 */
export function postgresUrlProblem(url: string): string | null {
  if (!/^postgres(ql)?:\/\//i.test(url)) return 'must start with postgres:// or postgresql://';
  try {
    parseIntoClientConfig(url);
    return null;
  } catch (err) {
    return `is not a PostgreSQL URL (${err instanceof Error ? err.message : String(err)})`;
  }
}

/** pg client settings for a connection; the user falls back as libpq's does. */
export function postgresConfig(connection: PostgresConnection): pg.ClientConfig {
  const config = parseIntoClientConfig(connection.url) as pg.ClientConfig;
  return { ...config, user: config.user || connection.defaultUser };
}
