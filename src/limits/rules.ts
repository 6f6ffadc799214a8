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

/** Reads overrides from the environment; throws with the variable's name on a bad value. */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): LimitRules {
  const out: Record<string, BucketRule> = { ...DEFAULT_LIMITS };
  for (const [name, variable] of Object.entries(LIMIT_ENV)) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') continue;
    const m = /^\s*(\d+)\s*,\s*(\d+(?:\.\d+)?)\s*$/.exec(raw);
    const burst = m ? Number(m[1]) : NaN;
    const refillSeconds = m ? Number(m[2]) : NaN;
    if (!m || burst < 1 || refillSeconds <= 0) {
      throw new Error(`${variable}="${raw}" is not valid: write "<burst>,<seconds per token>", e.g. "10,6"`);
    }
    out[name] = { burst, refillSeconds };
  }
  return out as unknown as LimitRules;
}
