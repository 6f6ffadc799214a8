/**
 * Moving stored display-name keys to the current key function.
 *
 * Keys were once NFKC + lower case; they are now the confusable skeleton
 * (src/domain/displayname.ts), so "Аda" (Cyrillic А) and "Ada" share a key.
 * A database written before holds old keys, and two names may now collide.
 * At every start each store recomputes the keys (cheap, and it also follows
 * any later change of the key function) and applies this plan atomically.
 *
 * On a collision exactly one player keeps the name: the one whose name has the
 * fewest characters that the skeleton folds away (the Latin "Ada" over the
 * Cyrillic look-alike, "Zoe" over "Zoë"), then the lowest user id. The others
 * lose their display name (they are asked for a new one on their next visit);
 * each loss is written to the audit log with the old name and logged at start,
 * so nothing disappears silently.
 */
import type { AuditInput } from './store.js';

export interface NamedUser {
  readonly id: number;
  readonly username: string;
  readonly displayname: string;
  /** the key stored today (null: none stored) */
  readonly key: string | null;
}

export interface NameCollision {
  /** the shared key under the current function */
  readonly key: string;
  readonly kept: NamedUser;
  readonly cleared: readonly NamedUser[];
}

export interface NameRekeyPlan {
  /** users whose stored key differs from the current one and who keep their name */
  readonly rekey: readonly { readonly id: number; readonly key: string }[];
  readonly collisions: readonly NameCollision[];
}

export interface NameRekeyReport {
  /** display names looked at */
  readonly checked: number;
  /** keys rewritten */
  readonly rekeyed: number;
  readonly collisions: readonly NameCollision[];
}

/** Characters the key function changes beyond case: look-alikes, marks, invisible ones. */
function foldedCharacters(name: string, keyOf: (name: string) => string): number {
  let count = 0;
  for (const ch of name) if (keyOf(ch) !== ch.toLowerCase()) count += 1;
  return count;
}

export function planNameRekey(users: readonly NamedUser[], keyOf: (name: string) => string): NameRekeyPlan {
  const byKey = new Map<string, NamedUser[]>();
  for (const u of users) {
    const key = keyOf(u.displayname);
    byKey.set(key, [...(byKey.get(key) ?? []), u]);
  }
  const rekey: { id: number; key: string }[] = [];
  const collisions: NameCollision[] = [];
  for (const [key, group] of byKey) {
    const ranked = group
      .map((u) => ({ u, folded: foldedCharacters(u.displayname, keyOf) }))
      .sort((a, b) => a.folded - b.folded || a.u.id - b.u.id)
      .map((r) => r.u);
    const [kept, ...cleared] = ranked as [NamedUser, ...NamedUser[]];
    if (kept.key !== key) rekey.push({ id: kept.id, key });
    if (cleared.length > 0) collisions.push({ key, kept, cleared });
  }
  return { rekey, collisions };
}

/** One audit entry per player who lost a name: the old name stays on record. */
export function collisionAudits(collisions: readonly NameCollision[], ts: number): AuditInput[] {
  return collisions.flatMap((c) =>
    c.cleared.map((lost) => ({
      ts,
      admin: 'ctfg',
      address: 'start-up',
      action: 'name_key_collision',
      detail: JSON.stringify({
        cleared: { user: lost.username, id: lost.id, name: lost.displayname },
        kept: { user: c.kept.username, id: c.kept.id, name: c.kept.displayname },
        key: c.key,
      }).slice(0, 2000),
    })),
  );
}
