/**
 * What a reload changed, in words for the organizer (SPEC §8 reload). Flag
 * patterns, test flags, descriptions, hints and passwords are only said to have
 * changed: this list goes into the audit log and the response, never their text.
 */
import type { EventConfig } from '../config/event-file.js';
import type { AdminAccount, Challenge, Clusters, Credential } from '../domain/types.js';

/** The parts of a game folder a reload applies. */
export interface ReloadedFiles {
  readonly challenges: readonly Challenge[];
  readonly credentials: readonly Credential[];
  readonly admins: readonly AdminAccount[];
  readonly clusters: Clusters | null;
  readonly event: EventConfig;
}

/** Challenge fields told only as "changed". */
const UNQUOTED = new Set(['flag', 'testflag', 'description', 'hints', 'content']);
/** How many names a players line lists before "and N more". */
const NAMES_SHOWN = 20;
/** Fields holding ms since the epoch, told as ISO times. */
const TIMES = new Set(['release', 'start', 'end', 'freeze']);

function show(field: string, value: unknown): string {
  if (value === undefined || value === null) return 'none';
  if (TIMES.has(field) && typeof value === 'number') return new Date(value).toISOString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(', ')}]`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

function label(c: Challenge): string {
  return `challenge ${c.id} ${JSON.stringify(c.title)}`;
}

function challengeFieldChanges(before: Challenge, after: Challenge): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  fields.delete('id');
  const out: string[] = [];
  for (const field of fields) {
    const a = (before as unknown as Record<string, unknown>)[field];
    const b = (after as unknown as Record<string, unknown>)[field];
    if (same(a, b)) continue;
    out.push(UNQUOTED.has(field) ? `${field} changed` : `${field} ${show(field, a)} → ${show(field, b)}`);
  }
  return out;
}

export function challengeChanges(before: readonly Challenge[], after: readonly Challenge[]): string[] {
  const old = new Map(before.map((c) => [c.id, c]));
  const now = new Map(after.map((c) => [c.id, c]));
  const out: string[] = [];
  for (const c of after) {
    const prior = old.get(c.id);
    if (!prior) {
      out.push(`${label(c)}: added (${c.points} points)`);
      continue;
    }
    const fields = challengeFieldChanges(prior, c);
    if (fields.length > 0) out.push(`${label(prior)}: ${fields.join('; ')}`);
  }
  for (const c of before) if (!now.has(c.id)) out.push(`${label(c)}: removed`);
  return out;
}

function names(what: string, list: readonly string[]): string[] {
  if (list.length === 0) return [];
  const shown = list.slice(0, NAMES_SHOWN).join(', ');
  const more = list.length > NAMES_SHOWN ? ` and ${list.length - NAMES_SHOWN} more` : '';
  return [`players ${what} (${list.length}): ${shown}${more}`];
}

export function playerChanges(before: readonly Credential[], after: readonly Credential[]): string[] {
  const old = new Map(before.map((c) => [c.username, c]));
  const now = new Set(after.map((c) => c.username));
  const added = after.filter((c) => !old.has(c.username)).map((c) => c.username);
  const removed = before.filter((c) => !now.has(c.username)).map((c) => c.username);
  const passwords = after.filter((c) => old.has(c.username) && old.get(c.username)?.password !== c.password).map((c) => c.username);
  return [...names('added', added), ...names('removed (they can no longer log in; their past events stay)', removed), ...names('with a new password', passwords)];
}

/** admins.csv: names only, never tokens. */
export function adminChanges(before: readonly AdminAccount[], after: readonly AdminAccount[]): string[] {
  const old = new Map(before.map((a) => [a.name, a.token]));
  const now = new Set(after.map((a) => a.name));
  const organizers = (what: string, list: readonly string[]): string[] => (list.length > 0 ? [`organizers ${what}: ${list.join(', ')}`] : []);
  return [
    ...organizers('added', after.filter((a) => !old.has(a.name)).map((a) => a.name)),
    ...organizers('removed (their console sessions end)', before.filter((a) => !now.has(a.name)).map((a) => a.name)),
    ...organizers('with a new token', after.filter((a) => old.has(a.name) && old.get(a.name) !== a.token).map((a) => a.name)),
  ];
}

const EVENT_KEYS: ReadonlyArray<[keyof EventConfig, string]> = [
  ['title', 'title'],
  ['start', 'start'],
  ['end', 'end'],
  ['freeze', 'freeze'],
  ['publicScoreboard', 'public_scoreboard'],
  ['firstBloodBonus', 'first_blood_bonus'],
];

export function eventChanges(before: EventConfig, after: EventConfig): string[] {
  const out: string[] = [];
  for (const [key, name] of EVENT_KEYS) {
    if (same(before[key], after[key])) continue;
    out.push(`event.yaml ${name}: ${show(name, before[key])} → ${show(name, after[key])}`);
  }
  return out;
}

function clusterChanges(before: Clusters | null, after: Clusters | null): string[] {
  if (same(before, after)) return [];
  const text = (c: Clusters | null): string => (c === null ? 'none' : `${c.controlCluster} / ${c.playerClusters.join(', ')}`);
  return [`game-clusters.yaml: ${text(before)} → ${text(after)}`];
}

/** Every change from `before` to `after`, challenges first; empty when the files say the same. */
export function describeChanges(before: ReloadedFiles, after: ReloadedFiles): string[] {
  return [
    ...challengeChanges(before.challenges, after.challenges),
    ...playerChanges(before.credentials, after.credentials),
    ...adminChanges(before.admins, after.admins),
    ...eventChanges(before.event, after.event),
    ...clusterChanges(before.clusters, after.clusters),
  ];
}
