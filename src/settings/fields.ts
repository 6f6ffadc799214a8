/**
 * Field parsers for settings: each takes the trimmed text of one setting and
 * returns its typed value or the reason it is refused.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import type { BucketRule } from '../limits/rate-limiter.js';
import { parseBucketRule } from '../limits/rules.js';
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

/** Which proxies' X-Forwarded-For to believe: none, all, a hop count, or these addresses. */
export type TrustProxy = boolean | number | readonly string[];

function isAddressOrCidr(item: string): boolean {
  const [address, bits, extra] = item.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = /^\d+$/.test(bits) ? Number(bits) : NaN;
  return n >= 0 && n <= (family === 4 ? 32 : 128);
}

export const trustProxy: FieldParser<TrustProxy> = (raw) => {
  const v = raw.toLowerCase();
  if (v === 'true') return ok(true);
  if (v === 'false' || v === '0') return ok(false);
  if (/^\d+$/.test(v)) return Number(v) <= 100 ? ok(Number(v)) : bad('hop count must be from 0 to 100');
  const items = raw.split(',').map((s) => s.trim());
  if (items.every(isAddressOrCidr)) return ok(items);
  return bad('must be false, true, a hop count (e.g. 1) or a comma list of proxy addresses/CIDRs (e.g. 10.0.0.0/8,::1)');
};
