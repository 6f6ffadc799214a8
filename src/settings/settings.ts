import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { HttpTimeouts } from '../http/timeouts.js';
import type { LimitRules } from '../limits/rules.js';
import type { SocketCapRules } from '../live/socket-caps.js';
import type { PostgresConnection } from '../storage/postgres/connection.js';
import { SETTINGS, type SettingDef, type SettingKey, type SettingValues } from './definitions.js';
import type { TrustProxy } from './fields.js';

export type { TrustProxy } from './fields.js';

/** The typed settings of one instance; nothing below main/server reads the environment. */
export interface Settings {
  readonly port: number;
  readonly host: string;
  /** absolute */
  readonly gameDir: string;
  /** absolute; default <gameDir>/challenges.json */
  readonly challengesPath: string | null;
  /** absolute; default: the game folder */
  readonly dbDir: string | null;
  readonly developerMode: boolean;
  readonly websocketUrl: string | null;
  readonly keepaliveSeconds: number;
  readonly pingTimeoutSeconds: number;
  readonly database: PostgresConnection | null;
  readonly redisUrl: string | null;
  readonly redisPrefix: string;
  readonly sqliteSync: 'normal' | 'full';
  readonly logLevel: string;
  readonly streamTokenSeconds: number;
  readonly trustProxy: TrustProxy;
  /** how long a client may take to send a request */
  readonly timeouts: HttpTimeouts;
  readonly apiToken: string | null;
  readonly adminToken: string | null;
  readonly maskKey: string;
  /** CTFG_SIGN_KEY for @SIGNED_DISPLAYNAME@; null when unset */
  readonly signKey: string | null;
  readonly title: string;
  /** CTFG_FEED_KEY for the CTFtime feed */
  readonly feedKey: string | null;
  /** most anonymous board viewer sockets per instance */
  readonly maxViewers: number;
  /** absolute; null: web/dist of the package */
  readonly webRoot: string | null;
  readonly sentryDsn: string | null;
  readonly limits: LimitRules;
  readonly socketCaps: SocketCapRules;
  readonly allowedOrigins: readonly string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export interface SettingSources {
  /** CLI flag values by setting key (commander's attribute names) */
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  /** the real environment: a variable set at all (even to "") wins over .env */
  readonly env: Env;
  /** the game folder's .env */
  readonly envFile: Readonly<Record<string, string>>;
  /** the [challenges.json] argument */
  readonly challengesFile?: string;
}

export interface SettingProblem {
  /** `--port` or `CTFG_TRUST_PROXY` */
  readonly name: string;
  readonly source: 'flag' | 'environment' | '.env';
  /** null for secrets */
  readonly value: string | null;
  readonly message: string;
}

interface Raw {
  readonly text: string;
  readonly name: string;
  readonly source: SettingProblem['source'];
}

function longFlag(flag: string): string {
  return /--[a-z-]+/.exec(flag)?.[0] ?? flag;
}

/** Flags win over the environment, which wins over .env; blank means unset. */
function rawValue(key: string, d: SettingDef<unknown>, sources: SettingSources): Raw | undefined {
  const flag = sources.flags[key];
  let found: Raw | undefined;
  if (d.flag && flag !== undefined && flag !== false) found = { text: String(flag), name: longFlag(d.flag), source: 'flag' };
  else if (d.env && sources.env[d.env] !== undefined) found = { text: sources.env[d.env] as string, name: d.env, source: 'environment' };
  else if (d.env && sources.envFile[d.env] !== undefined) found = { text: sources.envFile[d.env] as string, name: d.env, source: '.env' };
  if (!found || found.text.trim() === '') return undefined;
  return { ...found, text: found.text.trim() };
}

function field<T>(d: SettingDef<T>): z.ZodType<T, Raw | undefined> {
  return z.custom<Raw | undefined>().transform((raw, ctx) => {
    if (raw === undefined) return d.fallback;
    const parsed = d.parse(raw.text);
    if (parsed.ok) return parsed.value;
    const problem: SettingProblem = { name: raw.name, source: raw.source, value: d.secret ? null : raw.text, message: parsed.message };
    ctx.addIssue({ code: 'custom', message: parsed.message, params: { problem } });
    return z.NEVER;
  });
}

/** The one schema of every setting: raw texts by key in, typed values out. */
export const settingsSchema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([key, d]) => [key, field(d as SettingDef<unknown>)])),
) as unknown as z.ZodType<SettingValues, Partial<Record<SettingKey, Raw>>>;

export type SettingsResult = { readonly ok: true; readonly settings: Settings } | { readonly ok: false; readonly problems: readonly SettingProblem[] };

/** Parses every setting at once, so one report can name every bad value. */
export function resolveSettings(sources: SettingSources): SettingsResult {
  const raw: Partial<Record<string, Raw>> = {};
  for (const [key, d] of Object.entries(SETTINGS)) raw[key] = rawValue(key, d as SettingDef<unknown>, sources);
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => (i as { params?: { problem?: SettingProblem } }).params?.problem ?? problemOf(i)) };
  }
  return { ok: true, settings: toSettings(parsed.data, sources) };
}

function problemOf(issue: z.core.$ZodIssue): SettingProblem {
  return { name: issue.path.join('.'), source: 'environment', value: null, message: issue.message };
}

function toSettings(v: SettingValues, sources: SettingSources): Settings {
  const absolute = (p: string | null): string | null => (p === null ? null : path.resolve(p));
  const { limitSubmit, limitHint, limitSetName, limitAward, limitLoginUserAddress, limitLoginUser, limitLoginAddress, limitTokenFailures, databaseUrl, requestTimeoutSeconds, headersTimeoutSeconds, socketsPerSession, socketsPerPlayer, socketsPerAddress, ...rest } = v;
  return {
    ...rest,
    gameDir: path.resolve(v.gameDir),
    challengesPath: absolute(sources.challengesFile ?? null),
    dbDir: absolute(v.dbDir),
    webRoot: absolute(v.webRoot),
    // Node refuses a headers timeout longer than the request timeout.
    timeouts: { requestMs: Math.round(requestTimeoutSeconds * 1000), headersMs: Math.round(Math.min(headersTimeoutSeconds, requestTimeoutSeconds) * 1000) },
    logLevel: v.logLevel ?? (v.developerMode ? 'debug' : 'info'),
    // libpq's order when the URL names no user: PGUSER, then the OS user.
    database: databaseUrl === null ? null : { url: databaseUrl, defaultUser: sources.env.PGUSER || osUser() },
    socketCaps: { perSession: socketsPerSession, perPlayer: socketsPerPlayer, perAddress: socketsPerAddress },
    limits: {
      loginUserAddress: limitLoginUserAddress,
      submit: limitSubmit,
      hint: limitHint,
      setName: limitSetName,
      award: limitAward,
      loginUser: limitLoginUser,
      loginAddress: limitLoginAddress,
      tokenFailures: limitTokenFailures,
    },
  };
}

function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return ''; // no passwd entry (some containers): pg then reports the missing user
  }
}

/** One report naming every bad value; secrets are not echoed. */
export function formatSettingProblems(problems: readonly SettingProblem[]): string {
  const head = problems.length === 1 ? '1 setting is not valid' : `${problems.length} settings are not valid`;
  const lines = problems.map((p) => {
    const where = p.source === 'flag' ? p.name : `${p.name} (from ${p.source === '.env' ? 'the game folder .env' : 'the environment'})`;
    const shown = p.value === null ? '' : ` = ${JSON.stringify(p.value)}`;
    return `  ${where}${shown}: ${p.message}`;
  });
  return `${head}:\n${lines.join('\n')}`;
}

/** Settings given in code (tests, embedding), keyed by setting key and variable name; throws the one report when some are bad. */
export function settingsOf(flags: SettingSources['flags'], env: Env = {}): Settings {
  const result = resolveSettings({ flags, env, envFile: {} });
  if (!result.ok) throw new Error(formatSettingProblems(result.problems));
  return result.settings;
}
