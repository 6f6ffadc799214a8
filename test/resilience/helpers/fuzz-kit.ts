/**
 * Shared parts of the property-based fuzzers (fuzz.test.ts for the player
 * API, fuzz-admin.test.ts for the admin API): odd values, the judge of one
 * answer and the tally it writes into.
 */
import fc from 'fast-check';
import type { RawResponse } from './raw-http.js';

/** Codes any endpoint may answer (SPEC §3 plus the generic refusals). */
export const GENERIC = [400, 401, 403, 404, 413, 415, 429];

/** Odd values: wrong types, odd unicode, huge numbers, prototype keys. */
export const weird = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\ufeff', 'A\u0301', '🏴‍☠️', '1e309', '-0', '0x10', '１', 'NaN', '__proto__', '9007199254740993'),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, null, true, false, [], {}),
);

/** An object with the endpoint's own keys (each maybe missing or odd), extra keys, or not an object at all. */
export function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record(fields, { requiredKeys: [] }) },
    { weight: 2, arbitrary: fc.tuple(fc.record(fields), fc.record({ __proto__: weird, constructor: weird, extra: weird }, { requiredKeys: [] })).map(([a, b]) => ({ ...b, ...a })) },
    { weight: 1, arbitrary: weird },
  );
}

/** Patterns that betray internals: stack frames, source paths, driver errors. */
export const INTERNALS = [/\n\s+at\s/, /\bat .+\(.+:\d+:\d+\)/, /node_modules/, /\/work\//, /\/src\/[\w/-]+\.ts/, /SQLITE_/, /better-sqlite3/, /\b(TypeError|ReferenceError|RangeError|SyntaxError)\b/, /Cannot read propert/, /undefined is not/];

export const headerName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/).filter((h) => !['host', 'content-length', 'transfer-encoding', 'connection', 'expect', 'upgrade'].includes(h.toLowerCase()));

/** A few extra headers: none, random ones, or random ones with odd bytes. */
export const extraHeaders: fc.Arbitrary<Array<[string, string]>> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Array<[string, string]>>([]) },
  { weight: 2, arbitrary: fc.array(fc.tuple(headerName, fc.string({ maxLength: 40 })), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.tuple(headerName, fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((v) => v.replace(/[\r\n]/g, ' '))), { maxLength: 3 }) },
);

export interface Tally {
  requests: number;
  statuses: Record<string, number>;
  byEndpoint: Record<string, Record<string, number>>;
  problems: string[];
}

export function newTally(): Tally {
  return { requests: 0, statuses: {}, byEndpoint: {}, problems: [] };
}

/** Judges one answer of `METHOD path`: a documented status, no internals, errors as `{"error": …}`. */
export function judge(e: { readonly method: string; readonly path: string; readonly documented: readonly number[] }, a: RawResponse | Error, tally: Tally): void {
  tally.requests++;
  if (a instanceof Error) {
    tally.problems.push(`${e.method} ${e.path}: no answer (${a.message})`);
    return;
  }
  tally.statuses[a.status] = (tally.statuses[a.status] ?? 0) + 1;
  const mine = (tally.byEndpoint[`${e.method} ${e.path}`] ??= {});
  mine[a.status] = (mine[a.status] ?? 0) + 1;
  if (!e.documented.includes(a.status) && !GENERIC.includes(a.status)) tally.problems.push(`${e.method} ${e.path}: undocumented status ${a.status}: ${a.text.slice(0, 200)}`);
  for (const p of INTERNALS) if (p.test(a.text)) tally.problems.push(`${e.method} ${e.path}: internal detail ${p} in ${a.text.slice(0, 200)}`);
  const type = a.headers['content-type'] ?? '';
  if (a.status >= 400 && type.includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(a.text);
    } catch {
      tally.problems.push(`${e.path}: unparseable error body ${a.text.slice(0, 100)}`);
    }
    if (parsed !== undefined && (typeof parsed !== 'object' || parsed === null || typeof (parsed as { error?: unknown }).error !== 'string')) {
      tally.problems.push(`${e.path}: error body is not {"error": …}: ${a.text.slice(0, 100)}`);
    }
  }
}
