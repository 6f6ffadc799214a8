import { describe, expect, it } from 'vitest';
import { displayNameKey } from '../domain/displayname.js';
import { collisionAudits, planNameRekey, type NamedUser } from './name-rekey.js';

/** The key function before issue 13: NFKC and lower case. */
const oldKey = (name: string): string => name.normalize('NFKC').toLowerCase();
const user = (id: number, displayname: string, key: string | null = oldKey(displayname)): NamedUser => ({ id, username: `p${id}`, displayname, key });

describe('planNameRekey', () => {
  it('rewrites only the keys that changed', () => {
    const plan = planNameRekey([user(1, 'Ada'), user(2, 'Zoë'), user(3, 'ＢＯＢ')], displayNameKey);
    expect(plan.collisions).toEqual([]);
    expect(plan.rekey).toEqual([{ id: 2, key: 'zoe' }]);
  });

  it('keeps the name with the fewest look-alike characters, then the lowest id, and clears the others', () => {
    const users = [user(1, 'Zoë'), user(2, 'Аda'), user(3, 'Ada'), user(4, 'Zoe'), user(5, 'ada'), user(6, 'Zоë')];
    const plan = planNameRekey(users, displayNameKey);
    const byKey = Object.fromEntries(plan.collisions.map((c) => [c.key, { kept: c.kept.id, cleared: c.cleared.map((u) => u.id) }]));
    // "Ada" (3) and "ada" (5) fold nothing but case: the lower id wins; the Cyrillic look-alike (2) loses.
    expect(byKey.ada).toEqual({ kept: 3, cleared: [5, 2] });
    expect(byKey.zoe).toEqual({ kept: 4, cleared: [1, 6] });
    expect(plan.rekey).toEqual([]); // both keepers already hold their key
  });

  it('rewrites a key whose keeper held an old one, and gives a stored null key one', () => {
    const plan = planNameRekey([user(1, 'Аda'), user(2, 'Bob', null)], displayNameKey);
    expect(plan.rekey).toEqual([{ id: 1, key: 'ada' }, { id: 2, key: 'bob' }]);
  });

  it('audits each lost name with both players and the old name, never more than the audit detail limit', () => {
    const plan = planNameRekey([user(1, 'Ada'), user(2, 'Аda')], displayNameKey);
    const [entry, ...rest] = collisionAudits(plan.collisions, 42);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({ ts: 42, admin: 'ctfg', action: 'name_key_collision' });
    expect(JSON.parse(entry?.detail ?? '')).toEqual({ cleared: { user: 'p2', id: 2, name: 'Аda' }, kept: { user: 'p1', id: 1, name: 'Ada' }, key: 'ada' });
  });
});
