/**
 * Field parsers for settings: each takes the trimmed text of one setting and
 * returns its typed value or the reason it is refused.
 */
import fs from 'node:fs';
import type { BucketRule } from '../limits/rate-limiter.js';
import { parseBucketRule } from '../limits/rules.js';
import { parseTrustProxy, type TrustProxy } from '../http/proxy-trust.js';
import { postgresUrlProblem } from '../storage/postgres/connection.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
export type FieldParser<T> = (raw: string) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

export function wholeNumber(min: number, max: number): FieldParser<number> {
  return (raw) => {
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return Number.isInteger(n) && n >= min && n <= max ? ok(n) : bad(`must be a whole number from ${min} to ${max}`);
  };
}

export const positiveSeconds: FieldParser<number> = (raw) => {
  const n = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  return n > 0 && Number.isFinite(n) ? ok(n) : bad('must be a positive number of seconds');
};

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

export const boolean: FieldParser<boolean> = (raw) => {
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return ok(true);
  if (FALSE.has(v)) return ok(false);
  return bad('must be true or false');
};

export function oneOf<const T extends string>(values: readonly T[]): FieldParser<T> {
  return (raw) => ((values as readonly string[]).includes(raw) ? ok(raw as T) : bad(`must be one of ${values.join(', ')}`));
}

export function url(protocols: readonly string[], example: string): FieldParser<string> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return bad(`must be a URL like ${example}`);
    }
    return protocols.includes(parsed.protocol) ? ok(raw) : bad(`must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  };
}

export const postgresUrl: FieldParser<string> = (raw) => {
  const problem = postgresUrlProblem(raw);
  return problem ? bad(problem) : ok(raw);
};

export const text: FieldParser<string> = (raw) => ok(raw);

/** A comma list of web origins (scheme://host[:port]), e.g. an app served from another host than the socket. */
export const origins: FieldParser<readonly string[]> = (raw) => {
  const items = raw.split(',').map((o) => o.trim()).filter(Boolean);
  const wrong = items.filter((o) => {
    try {
      return new URL(o).origin !== o;
    } catch {
      return true;
    }
  });
  return wrong.length === 0 ? ok(items) : bad(`must be a comma list of origins like https://ctf.example.org (not understood: ${wrong.join(', ')})`);
};

export function matching(pattern: RegExp, rule: string): FieldParser<string> {
  return (raw) => (pattern.test(raw) ? ok(raw) : bad(rule));
}

/** Tokens are typed into headers and forms: no blanks, long enough not to be guessed. */
export const token = matching(/^[\x21-\x7e]{12,}$/, 'must be at least 12 characters without spaces (printable ASCII)');

export const existingFolder: FieldParser<string> = (raw) => {
  try {
    if (fs.statSync(raw).isDirectory()) return ok(raw);
  } catch {
    // reported below
  }
  return bad('must be an existing folder');
};

export const bucketRule: FieldParser<BucketRule> = (raw) => {
  const rule = parseBucketRule(raw);
  return rule ? ok(rule) : bad('must be "<burst>,<seconds per token>", e.g. "10,6" (burst at least 1)');
};

export type { TrustProxy } from '../http/proxy-trust.js';

/** CTFG_TRUST_PROXY, read by the HTTP layer's own parser so there is one meaning of each value. */
export const trustProxy: FieldParser<TrustProxy> = (raw) => {
  try {
    return ok(parseTrustProxy(raw));
  } catch (err) {
    return bad((err as Error).message.replace(/^CTFG_TRUST_PROXY="[^"]*" is not valid: write/, 'must be'));
  }
};
