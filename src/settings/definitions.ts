/**
 * Every setting of a ctfg instance, with where it comes from (a CLI flag,
 * an environment variable or the game folder's .env), its default and its
 * meaning. The schema, the CLI options and docs/settings.md derive from it.
 */
import { DEFAULT_MASK_KEY } from '../domain/obfuscate.js';
import type { BucketRule } from '../limits/rate-limiter.js';
import { DEFAULT_LIMITS, LIMIT_ENV, LIMIT_MEANING, type LimitRules } from '../limits/rules.js';
import * as f from './fields.js';

export interface SettingDef<T> {
  /** commander flags, e.g. `-p, --port <port>` */
  readonly flag?: string;
  readonly env?: string;
  /** value when the setting is not given */
  readonly fallback: T;
  /** the default as the reference shows it */
  readonly defaultText: string;
  readonly meaning: string;
  readonly parse: f.FieldParser<T>;
  /** never echoed in reports */
  readonly secret?: boolean;
}

const def = <T>(d: SettingDef<T>): SettingDef<T> => d;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const CORE = {
  port: def({ flag: '-p, --port <port>', fallback: 8080, defaultText: '8080', meaning: 'HTTP port; the scorestream is on the same port', parse: f.wholeNumber(0, 65535) }),
  host: def({ flag: '--host <address>', fallback: '0.0.0.0', defaultText: '0.0.0.0', meaning: 'listen address', parse: f.matching(/^\S+$/, 'must be an address without spaces') }),
  gameDir: def({ flag: '-g, --game-dir <dir>', fallback: '.', defaultText: '.', meaning: 'folder with the game files (its .env is read too)', parse: f.text }),
  dbDir: def<string | null>({ flag: '-b, --dbdir <dir>', fallback: null, defaultText: 'the game folder', meaning: 'folder for events.db (SQLite)', parse: f.text }),
  developerMode: def({
    flag: '-d, --developer-mode',
    env: 'CTFG_DEVELOPER_MODE',
    fallback: false,
    defaultText: 'off',
    meaning: 're-read challenges.json on every request, no static caching, detailed errors',
    parse: f.boolean,
  }),
  websocketUrl: def<string | null>({
    flag: '-w, --websocket-url <url>',
    fallback: null,
    defaultText: 'derived from each request',
    meaning: 'scorestream URL handed to browsers, ws:// or wss://',
    parse: f.url(['ws:', 'wss:'], 'wss://ctf.example.org/scorestream'),
  }),
  keepaliveSeconds: def({ flag: '-k, --ws-keepalive-interval <seconds>', fallback: 15, defaultText: '15', meaning: 'seconds between server pings; 0 disables', parse: f.wholeNumber(0, 3600) }),
  pingTimeoutSeconds: def({ flag: '-t, --ws-ping-timeout <seconds>', fallback: 45, defaultText: '45', meaning: 'seconds without a pong before a socket is dropped', parse: f.wholeNumber(1, 3600) }),
  databaseUrl: def<string | null>({
    flag: '--database <url>',
    env: 'CTFG_DATABASE_URL',
    fallback: null,
    defaultText: 'SQLite in the database folder',
    meaning: 'postgres://… or postgresql://… (any libpq URL form): keep the game in PostgreSQL; without Redis only one instance may use it',
    parse: f.postgresUrl,
    secret: true,
  }),
  redisUrl: def<string | null>({
    flag: '--redis <url>',
    env: 'CTFG_REDIS_URL',
    fallback: null,
    defaultText: 'none (in-process)',
    meaning: 'redis://… or rediss://…: share live events and rate limits between instances',
    parse: f.url(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
    secret: true,
  }),
  redisPrefix: def({
    env: 'CTFG_REDIS_PREFIX',
    fallback: 'ctfg',
    defaultText: 'ctfg',
    meaning: 'prefix of the Redis keys and bus channel (`<prefix>:bus`); one per game sharing a Redis',
    parse: f.matching(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1 to 64 letters, digits or _ . : -'),
  }),
  sqliteSync: def<'normal' | 'full'>({
    env: 'CTFG_SQLITE_SYNC',
    fallback: 'normal',
    defaultText: 'normal',
    meaning: 'SQLite synchronous mode: normal (safe against a crash of ctfg) or full (also against power loss)',
    parse: f.oneOf(['normal', 'full']),
  }),
  logLevel: def<(typeof LOG_LEVELS)[number] | null>({
    env: 'CTFG_LOG_LEVEL',
    fallback: null,
    defaultText: 'info (debug with -d)',
    meaning: `log level: ${LOG_LEVELS.join(', ')}`,
    parse: f.oneOf(LOG_LEVELS),
  }),
} as const;

const GAME = {
  streamTokenSeconds: def({ env: 'CTFG_STREAM_TOKEN_TTL', fallback: 3600, defaultText: '3600', meaning: 'lifetime of a scorestream token, in seconds', parse: f.positiveSeconds }),
  trustProxy: def<f.TrustProxy>({
    env: 'CTFG_TRUST_PROXY',
    fallback: false,
    defaultText: 'false',
    meaning: 'which X-Forwarded-For to believe: false, true (= 1: the nearest proxy), a hop count or a comma list of proxy addresses/CIDRs; the client\'s own part of the header is never used',
    parse: f.trustProxy,
  }),
  requestTimeoutSeconds: def({ env: 'CTFG_REQUEST_TIMEOUT', fallback: 30, defaultText: '30', meaning: 'seconds a client may take to send a whole request (headers and body); then 408 and the connection closes', parse: f.positiveSeconds }),
  headersTimeoutSeconds: def({ env: 'CTFG_HEADERS_TIMEOUT', fallback: 10, defaultText: '10', meaning: 'seconds a client may take to send the request headers (capped at the request timeout)', parse: f.positiveSeconds }),
  socketsPerSession: def({ env: 'CTFG_WS_PER_SESSION', fallback: 8, defaultText: '8', meaning: 'scorestream sockets one browser session may hold on one instance; more get 429 before the upgrade', parse: f.wholeNumber(1, 1_000_000) }),
  socketsPerPlayer: def({ env: 'CTFG_WS_PER_PLAYER', fallback: 16, defaultText: '16', meaning: 'scorestream sockets one player may hold on one instance', parse: f.wholeNumber(1, 1_000_000) }),
  socketsPerAddress: def({ env: 'CTFG_WS_PER_ADDRESS', fallback: 1000, defaultText: '1000', meaning: 'scorestream sockets one client address may hold on one instance (a classroom shares one)', parse: f.wholeNumber(1, 1_000_000) }),
  allowedOrigins: def<readonly string[]>({ env: 'CTFG_WS_ALLOWED_ORIGINS', fallback: [], defaultText: 'none', meaning: 'other origins allowed to open the scorestream (comma list), for an app served from another host', parse: f.origins }),
  apiToken: def<string | null>({ env: 'CTFG_API_TOKEN', fallback: null, defaultText: 'unset: /api/award answers 401', meaning: 'token a judge sends to POST /api/award (12+ characters, no spaces)', parse: f.token, secret: true }),
  adminToken: def<string | null>({ env: 'CTFG_ADMIN_TOKEN', fallback: null, defaultText: 'unset: only the organizers in admins.csv; with neither, admin endpoints answer 403 admin_not_configured', meaning: 'token for the admin login, the admin endpoints (Bearer), /metrics and the reset (12+ characters, no spaces); audited as "token" when admins.csv names the organizers', parse: f.token, secret: true }),
  maskKey: def({ env: 'CTFG_MASK_KEY', fallback: DEFAULT_MASK_KEY, defaultText: DEFAULT_MASK_KEY, meaning: 'key for @OBFUSCATED_DISPLAYNAME@; challenge checkers need the same key', parse: f.text, secret: true }),
  signKey: def<string | null>({
    env: 'CTFG_SIGN_KEY',
    fallback: null,
    defaultText: 'unset: a description using @SIGNED_DISPLAYNAME@ is refused at start',
    meaning: 'key for the HMAC in @SIGNED_DISPLAYNAME@ (12+ characters, no spaces; keep it apart from CTFG_MASK_KEY); checkers verify with `ctfg verify-name`',
    parse: f.token,
    secret: true,
  }),
  title: def({ env: 'CTFG_TITLE', fallback: 'ctfg', defaultText: 'ctfg', meaning: 'game title shown in the app (event.yaml title wins)', parse: f.text }),
  feedKey: def<string | null>({
    env: 'CTFG_FEED_KEY',
    fallback: null,
    defaultText: 'unset: the feed needs public_scoreboard or an admin',
    meaning: 'key CTFtime passes as /api/ctftime?key=… (12+ characters, no spaces)',
    parse: f.token,
    secret: true,
  }),
  maxViewers: def({ env: 'CTFG_MAX_VIEWERS', fallback: 2000, defaultText: '2000', meaning: 'most anonymous board viewer sockets per instance', parse: f.wholeNumber(0, 1_000_000) }),
  webRoot: def<string | null>({ env: 'CTFG_WEB_ROOT', fallback: null, defaultText: 'web/dist of the package', meaning: 'folder with the built web app', parse: f.existingFolder }),
  sentryDsn: def<string | null>({ env: 'SENTRY_DSN', fallback: null, defaultText: 'none', meaning: 'Sentry DSN for error reporting', parse: f.url(['http:', 'https:'], 'https://key@sentry.example.org/1'), secret: true }),
} as const;

function limitDef(rule: keyof LimitRules): SettingDef<BucketRule> {
  const d = DEFAULT_LIMITS[rule];
  return def({
    env: LIMIT_ENV[rule],
    fallback: d,
    defaultText: `${d.burst},${d.refillSeconds}`,
    meaning: `rate limit of ${LIMIT_MEANING[rule]}: "<burst>,<seconds per token>"`,
    parse: f.bucketRule,
  });
}

const LIMITS = {
  limitSubmit: limitDef('submit'),
  limitHint: limitDef('hint'),
  limitSetName: limitDef('setName'),
  limitAward: limitDef('award'),
  limitLoginUserAddress: limitDef('loginUserAddress'),
  limitLoginUser: limitDef('loginUser'),
  limitLoginAddress: limitDef('loginAddress'),
  limitTokenFailures: limitDef('tokenFailures'),
} as const;

export const SETTINGS = { ...CORE, ...GAME, ...LIMITS } as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValues = { -readonly [K in SettingKey]: (typeof SETTINGS)[K] extends SettingDef<infer T> ? T : never };
