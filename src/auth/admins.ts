import { ENV_ADMIN_NAME } from '../config/admins-file.js';
import type { AdminAccount } from '../domain/types.js';
import { isPasswordHash, verifyPassword } from './passwords.js';
import { secretEquals } from './secrets.js';
import { hashSecret } from './sessions.js';

/**
 * Who may act as an organizer (SPEC §8): CTFG_ADMIN_TOKEN, and the rows of
 * admins.csv, each named in the audit log. Plain tokens are compared in
 * constant time at once; hashed ones need the slow check, whose successes are
 * remembered (by the token's SHA-256) so a script using its Bearer token pays
 * it once, not per request.
 */
export class AdminDirectory {
  private plain: AdminAccount[] = [];
  private hashed: AdminAccount[] = [];
  private names = new Set<string>();
  private remembered = new Map<string, string>();
  /** slow checks in progress, by the token's SHA-256: parallel requests with one token share one check */
  private readonly checking = new Map<string, Promise<string | null>>();
  /** bumped by replace, so a slow check that straddles a reload remembers nothing stale */
  private generation = 0;

  constructor(
    private readonly envToken: string | null,
    accounts: readonly AdminAccount[],
  ) {
    this.replace(accounts);
  }

  /** A reload's new admins.csv (or none): removed organizers lose access at once. */
  replace(accounts: readonly AdminAccount[]): void {
    this.plain = accounts.filter((a) => !isPasswordHash(a.token));
    this.hashed = accounts.filter((a) => isPasswordHash(a.token));
    this.names = new Set(accounts.map((a) => a.name));
    this.remembered = new Map();
    this.generation++;
  }

  /** false: every admin endpoint answers 403 admin_not_configured */
  get configured(): boolean {
    return this.envToken !== null || this.names.size > 0;
  }

  /** true when admins.csv names the organizers (a login's own `name` is then ignored) */
  get fromFile(): boolean {
    return this.names.size > 0;
  }

  get hasHashed(): boolean {
    return this.hashed.length > 0;
  }

  /** The organizer a token belongs to, among the plain and remembered ones; compares with every one (no early exit). */
  matchNow(presented: string): string | null {
    let found: string | null = null;
    if (this.envToken !== null && secretEquals(presented, this.envToken)) found = ENV_ADMIN_NAME;
    for (const { name, token } of this.plain) if (secretEquals(presented, token)) found = name;
    return this.remembered.get(hashSecret(presented)) ?? found;
  }

  /** The organizer a token belongs to, among the hashed ones (slow: one hash check per organizer until a match). */
  matchSlow(presented: string): Promise<string | null> {
    const key = hashSecret(presented);
    const known = this.remembered.get(key);
    if (known !== undefined) return Promise.resolve(known);
    let check = this.checking.get(key);
    if (!check) {
      check = this.verify(key, presented).finally(() => this.checking.delete(key));
      this.checking.set(key, check);
    }
    return check;
  }

  private async verify(key: string, presented: string): Promise<string | null> {
    const generation = this.generation;
    for (const { name, token } of this.hashed) {
      if (!(await verifyPassword(token, presented))) continue;
      if (generation !== this.generation) return null;
      this.remembered.set(key, name);
      return name;
    }
    return null;
  }

  /** Whether a console session opened under `name` still stands (its row may have left admins.csv). */
  sessionStands(name: string): boolean {
    if (!this.fromFile) return true;
    return name === ENV_ADMIN_NAME ? this.envToken !== null : this.names.has(name);
  }
}
