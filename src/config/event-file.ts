/**
 * event.yaml (optional; SPEC §7): title, schedule, freeze, public board and
 * first-blood bonus. Every problem is reported at once, naming the key.
 */
import { isMap, isScalar } from 'yaml';
import { z } from 'zod';
import type { LoadResult } from '../domain/types.js';
import { describeIssue, parseYamlFile, ProblemList } from './problems.js';

export const EVENT_FILE = 'event.yaml';

export interface EventConfig {
  readonly title: string | null;
  /** ms since the epoch; null = open */
  readonly start: number | null;
  readonly end: number | null;
  readonly freeze: number | null;
  readonly publicScoreboard: boolean;
  /** bonus for the 1st, 2nd, 3rd solver of a challenge */
  readonly firstBloodBonus: readonly number[];
}

export const NO_EVENT: EventConfig = { title: null, start: null, end: null, freeze: null, publicScoreboard: false, firstBloodBonus: [] };

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function isIsoTime(text: string): boolean {
  return ISO_TIME.test(text) && Number.isFinite(Date.parse(text));
}

/** Times stay text (no YAML timestamp tag), so an unquoted time without an offset is refused like a quoted one. */
const time = z
  .union([z.string(), z.null()])
  .transform((v, c) => {
    if (v === null) return null;
    if (!isIsoTime(v)) {
      c.addIssue({ code: 'custom', message: `must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:00:00Z (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return Date.parse(v);
  })
  .optional();

const schema = z.strictObject({
  title: z.string().trim().min(1).max(200).nullable().optional(),
  start: time,
  end: time,
  freeze: time,
  public_scoreboard: z.boolean().optional(),
  first_blood_bonus: z.array(z.int().min(0).max(1_000_000)).max(3).optional(),
});

/** start ≤ freeze < end, for the fields that are set; returns the problems. */
export function scheduleProblems(s: { start: number | null; end: number | null; freeze: number | null }): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (s.start !== null && s.end !== null && s.start >= s.end) out.push(['end', 'must be after start']);
  if (s.freeze !== null && s.start !== null && s.freeze < s.start) out.push(['freeze', 'must not be before start']);
  if (s.freeze !== null && s.end !== null && s.freeze >= s.end) out.push(['freeze', 'must be before end']);
  return out;
}

/** Parses and validates event.yaml text. `file` names it in problems. */
export function parseEventFile(text: string, file: string = EVENT_FILE): LoadResult<EventConfig> {
  const problems = new ProblemList(file);
  const yaml = parseYamlFile(text, problems);
  if (!yaml) return problems.result(NO_EVENT);
  const { doc, lineCounter } = yaml;
  if (doc.contents === null) return problems.result(NO_EVENT);
  if (!isMap(doc.contents)) {
    problems.add('whole file', 'must be a mapping of keys (title, start, end, freeze, public_scoreboard, first_blood_bonus)');
    return problems.result(NO_EVENT);
  }
  const lines = new Map<string, number>();
  for (const pair of doc.contents.items) {
    if (isScalar(pair.key) && pair.key.range) lines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
  }
  const at = (key: string): string => (lines.has(key) ? `line ${lines.get(key)}, key ${key}` : `key ${key}`);
  const parsed = schema.safeParse(doc.toJS(), { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) problems.add(at(k), 'unknown key: only title, start, end, freeze, public_scoreboard, first_blood_bonus are allowed');
      } else {
        problems.add(at(String(issue.path[0] ?? 'whole file')), describeIssue(issue));
      }
    }
    return problems.result(NO_EVENT);
  }
  const v = parsed.data;
  const config: EventConfig = {
    title: v.title ?? null,
    start: v.start ?? null,
    end: v.end ?? null,
    freeze: v.freeze ?? null,
    publicScoreboard: v.public_scoreboard ?? false,
    firstBloodBonus: v.first_blood_bonus ?? [],
  };
  for (const [key, message] of scheduleProblems(config)) problems.add(at(key), message);
  return problems.result(config);
}
