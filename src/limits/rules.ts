import type { BucketRule } from './rate-limiter.js';

export interface LimitRules {
  /** per player; only wrong flags spend */
  readonly submit: BucketRule;
  readonly hint: BucketRule;
  readonly setName: BucketRule;
  /** per API token */
  readonly award: BucketRule;
  /** failed logins per username and address: one address cannot lock the owner out elsewhere */
  readonly loginUserAddress: BucketRule;
  /** failed logins per username from all addresses: bounds distributed guessing */
  readonly loginUser: BucketRule;
  /** failed logins per address */
  readonly loginAddress: BucketRule;
  /** failed admin/award token attempts per address */
  readonly tokenFailures: BucketRule;
}

export const DEFAULT_LIMITS: LimitRules = {
  submit: { burst: 10, refillSeconds: 6 },
  hint: { burst: 20, refillSeconds: 1 },
  setName: { burst: 10, refillSeconds: 1 },
  award: { burst: 100, refillSeconds: 0.1 },
  loginUserAddress: { burst: 10, refillSeconds: 6 },
  loginUser: { burst: 100, refillSeconds: 6 },
  loginAddress: { burst: 100, refillSeconds: 0.1 },
  tokenFailures: { burst: 10, refillSeconds: 6 },
};

/** Environment variable for each rule, e.g. CTFG_RATE_SUBMIT="10,6" (burst, seconds per token). */
export const LIMIT_ENV: Record<keyof LimitRules, string> = {
  submit: 'CTFG_RATE_SUBMIT',
  hint: 'CTFG_RATE_HINT',
  setName: 'CTFG_RATE_SET_NAME',
  award: 'CTFG_RATE_AWARD',
  loginUserAddress: 'CTFG_RATE_LOGIN_USER_ADDRESS',
  loginUser: 'CTFG_RATE_LOGIN_USER',
  loginAddress: 'CTFG_RATE_LOGIN_ADDRESS',
  tokenFailures: 'CTFG_RATE_TOKEN_FAILURES',
};

/** What each rule limits, for the settings reference. */
export const LIMIT_MEANING: Record<keyof LimitRules, string> = {
  submit: 'wrong flags per player',
  hint: 'hint requests per player',
  setName: 'display-name changes per player',
  award: 'awards per API token',
  loginUserAddress: 'failed logins per username and client address',
  loginUser: 'failed logins per username from all addresses',
  loginAddress: 'failed logins per client address',
  tokenFailures: 'wrong admin/API tokens per client address',
};

/** Parses "<burst>,<seconds per token>"; null when the text is not a valid rule. */
export function parseBucketRule(raw: string): BucketRule | null {
  const m = /^\s*(\d+)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(raw);
  if (!m) return null;
  const burst = Number(m[1]);
  const refillSeconds = Number(m[2]);
  return burst >= 1 && refillSeconds > 0 ? { burst, refillSeconds } : null;
}
