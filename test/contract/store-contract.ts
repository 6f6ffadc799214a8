import { describe, expect, it } from 'vitest';
import { displayNameKey } from '../../src/domain/displayname.js';
import type { Store } from '../../src/storage/store.js';

/**
 * The behaviour every Store must have, whatever the engine. Each
 * implementation's test file calls this with a factory for a fresh, empty store.
 */
export function storeContract(name: string, fresh: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    const withStore = async (work: (s: Store) => Promise<void>): Promise<void> => {
      const store = await fresh();
      try {
        await work(store);
      } finally {
        await store.close();
      }
    };

    it('syncs users idempotently with stable ids', () =>
      withStore(async (s) => {
        const a = await s.syncUsers(['ann', 'bob']);
        const b = await s.syncUsers(['bob', 'cy', 'ann']);
        expect(b.find((u) => u.username === 'ann')?.id).toBe(a.find((u) => u.username === 'ann')?.id);
        expect(b.map((u) => u.username).sort()).toEqual(['ann', 'bob', 'cy']);
      }));

    it('records a solve once, with gapless increasing ids', () =>
      withStore(async (s) => {
        const [ann, bob] = await s.syncUsers(['ann', 'bob']);
        const first = await s.recordSolve({ userId: ann!.id, challengeId: 1, points: 100, ts: 1, reload: false });
        expect(first.kind).toBe('recorded');
        expect(await s.recordSolve({ userId: ann!.id, challengeId: 1, points: 100, ts: 2, reload: false })).toEqual({ kind: 'already_solved' });
        const parallel = await Promise.all(Array.from({ length: 20 }, () => s.recordSolve({ userId: bob!.id, challengeId: 1, points: 100, ts: 3, reload: true })));
        expect(parallel.filter((o) => o.kind === 'recorded')).toHaveLength(1);
        const { events, lastId } = await s.load();
        expect(events.map((e) => e.id)).toEqual([events[0]!.id, events[0]!.id + 1]);
        expect(lastId).toBe(events[1]!.id);
        expect(events[1]).toMatchObject({ userId: bob!.id, challengeId: 1, kind: 'score', hintId: null, points: 100, reload: true });
      }));

    it('records a burst of parallel solves (some twice, some already there) exactly once each, ids gapless in answer order', () =>
      withStore(async (s) => {
        const users = await s.syncUsers(Array.from({ length: 30 }, (_, i) => `u${i}`));
        await s.recordSolve({ userId: users[3]!.id, challengeId: 2, points: 10, ts: 1, reload: false });
        // 30 players × 4 challenges, every fifth solve sent twice, all at once.
        const inputs = users.flatMap((u, i) => [1, 2, 3, 4].map((c) => ({ userId: u.id, challengeId: c, points: c * 10, ts: 100 + i, reload: false })));
        const sent = inputs.flatMap((input, i) => (i % 5 === 0 ? [input, input] : [input]));
        const outcomes = await Promise.all(sent.map((input) => s.recordSolve(input)));
        const recorded = outcomes.flatMap((o) => (o.kind === 'recorded' ? [o.event] : []));
        expect(recorded).toHaveLength(inputs.length - 1); // u3's challenge 2 was already solved
        expect(new Set(recorded.map((e) => `${e.userId}:${e.challengeId}`)).size).toBe(recorded.length);
        for (const [i, o] of outcomes.entries()) if (o.kind === 'recorded') expect(o.event).toMatchObject({ userId: sent[i]!.userId, challengeId: sent[i]!.challengeId, points: sent[i]!.points });
        const { events, lastId } = await s.load();
        const ids = events.map((e) => e.id);
        expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
        expect(lastId).toBe(ids[ids.length - 1]);
        expect(events.slice(1).map((e) => e.id).sort((a, b) => a - b)).toEqual(recorded.map((e) => e.id).sort((a, b) => a - b));
      }));

    it('sells hints in order and only when affordable, atomically', () =>
      withStore(async (s) => {
        const [ann] = await s.syncUsers(['ann']);
        const hint = (hintId: number, previousHintId: number | null, cost: number) =>
          s.purchaseHint({ userId: ann!.id, challengeId: 5, hintId, cost, ts: 10, previousHintId });
        expect(await hint(1, null, 10)).toEqual({ kind: 'insufficient_points' });
        expect((await hint(1, null, 0)).kind).toBe('recorded');
        expect(await hint(1, null, 0)).toEqual({ kind: 'already_purchased' });
        expect(await hint(3, 2, 0)).toEqual({ kind: 'locked' });
        await s.recordSolve({ userId: ann!.id, challengeId: 1, points: 50, ts: 11, reload: false });
        const racing = await Promise.all([2, 3, 4, 5].map((h) => s.purchaseHint({ userId: ann!.id, challengeId: 9, hintId: h, cost: 20, ts: 12, previousHintId: null })));
        expect(racing.filter((o) => o.kind === 'recorded')).toHaveLength(2); // 50 points buy two 20-point hints
        const { events } = await s.load();
        expect(events.reduce((sum, e) => sum + e.points, 0)).toBe(10);
        const ids = events.map((e) => e.id);
        expect(ids).toEqual(ids.map((_, i) => ids[0]! + i)); // refusals leave no gaps
      }));

    it('keeps display names unique by key', () =>
      withStore(async (s) => {
        const [ann, bob] = await s.syncUsers(['ann', 'bob']);
        expect(await s.setDisplayName(ann!.id, 'Ada', 'ada')).toBe('ok');
        expect(await s.setDisplayName(bob!.id, 'ADA', 'ada')).toBe('taken');
        expect(await s.setDisplayName(ann!.id, 'Ada L', 'ada l')).toBe('ok');
        expect(await s.setDisplayName(bob!.id, 'ADA', 'ada')).toBe('ok');
      }));

    it('moves stored display-name keys to the skeleton: collisions cleared and audited, idempotent', () =>
      withStore(async (s) => {
        const [ann, bob, cy, dan, eve] = await s.syncUsers(['ann', 'bob', 'cy', 'dan', 'eve']);
        // As written before issue 13 (keys were NFKC + lower case), plus a swapped pair no one-by-one update survives.
        await s.setDisplayName(ann!.id, 'Ada', 'ada');
        await s.setDisplayName(bob!.id, 'Аda', 'аda'); // Cyrillic А
        await s.setDisplayName(cy!.id, 'Zoë', 'zoë');
        await s.setDisplayName(dan!.id, 'Max', 'kim');
        await s.setDisplayName(eve!.id, 'Kim', 'max');
        await s.addAudit({ ts: 1, admin: 'x', address: 'y', action: 'before', detail: '' });
        const report = await s.rekeyDisplayNames(displayNameKey, 50);
        expect(report).toMatchObject({ checked: 5, rekeyed: 3 });
        expect(report.collisions.map((c) => [c.key, c.kept.username, c.cleared.map((u) => u.username)])).toEqual([['ada', 'ann', ['bob']]]);
        const names = Object.fromEntries((await s.syncUsers([])).map((u) => [u.username, u.displayname]));
        expect(names).toEqual({ ann: 'Ada', bob: null, cy: 'Zoë', dan: 'Max', eve: 'Kim' });
        const [lost, before] = await s.listAudit(10, null);
        expect(before?.action).toBe('before');
        expect(lost).toMatchObject({ ts: 50, admin: 'ctfg', action: 'name_key_collision' });
        expect(lost?.detail).toContain('Аda');
        // The unique index now holds the new keys: look-alikes are taken, the freed ones are not.
        expect(await s.setDisplayName(bob!.id, 'Zoe', displayNameKey('Zoe'))).toBe('taken');
        expect(await s.setDisplayName(bob!.id, 'Bob', displayNameKey('Bob'))).toBe('ok');
        expect(await s.rekeyDisplayNames(displayNameKey, 60)).toEqual({ checked: 5, rekeyed: 0, collisions: [] });
        expect(await s.listAudit(10, null)).toHaveLength(2);
      }));

    it('stores sessions and expires them', () =>
      withStore(async (s) => {
        const [ann] = await s.syncUsers(['ann']);
        await s.createSession({ idHash: 'h1', userId: ann!.id, createdAt: 1, expiresAt: 100 });
        await s.createSession({ idHash: 'h2', userId: ann!.id, createdAt: 1, expiresAt: 1000 });
        expect(await s.getSession('h1')).toEqual({ idHash: 'h1', userId: ann!.id, createdAt: 1, expiresAt: 100 });
        expect(await s.deleteExpiredSessions(500)).toBe(1);
        expect(await s.getSession('h1')).toBeNull();
        await s.deleteSession('h2');
        expect(await s.getSession('h2')).toBeNull();
      }));

    it('ends the sessions of players not in the list, and trims a player to the newest sessions', () =>
      withStore(async (s) => {
        const [ann, bob] = await s.syncUsers(['ann', 'bob']);
        for (let i = 1; i <= 4; i++) await s.createSession({ idHash: `a${i}`, userId: ann!.id, createdAt: i, expiresAt: 10 ** 13 });
        await s.createSession({ idHash: 'b1', userId: bob!.id, createdAt: 1, expiresAt: 10 ** 13 });
        expect((await s.trimSessions(ann!.id, 2)).sort()).toEqual(['a1', 'a2']);
        expect(await s.getSession('a3')).not.toBeNull();
        expect(await s.getSession('a1')).toBeNull();
        expect(await s.deleteSessionsExcept(['ann'])).toBe(1);
        expect(await s.getSession('b1')).toBeNull();
        expect(await s.getSession('a4')).not.toBeNull();
        expect(await s.deleteSessionsExcept([])).toBe(2);
      }));

    it('resets everything but keeps ids increasing, and reports the mark', () =>
      withStore(async (s) => {
        const [ann] = await s.syncUsers(['ann']);
        await s.setDisplayName(ann!.id, 'Ada', 'ada');
        await s.createSession({ idHash: 'h', userId: ann!.id, createdAt: 1, expiresAt: 10 ** 13 });
        const solved = await s.recordSolve({ userId: ann!.id, challengeId: 1, points: 5, ts: 1, reload: false });
        const lastBefore = solved.kind === 'recorded' ? solved.event.id : -1;
        const outcome = await s.reset();
        expect(outcome).toMatchObject({ events: 1, names: 1, sessions: 1, mark: { count: 1, afterId: lastBefore } });
        const after = await s.load();
        expect(after.events).toEqual([]);
        expect(after.lastId).toBe(lastBefore);
        expect(after.reset).toEqual({ count: 1, afterId: lastBefore });
        expect((await s.syncUsers([]))[0]?.displayname).toBeNull();
        const again = await s.recordSolve({ userId: ann!.id, challengeId: 1, points: 5, ts: 2, reload: false });
        expect(again.kind === 'recorded' && again.event.id).toBe(lastBefore + 1);
        const caught = await s.eventsAfter(lastBefore);
        expect(caught.events.map((e) => e.id)).toEqual([lastBefore + 1]);
        expect(caught.reset.count).toBe(1);
      }));

    it('shares one secret per name', () =>
      withStore(async (s) => {
        const a = await s.sharedSecret('x');
        expect(a.length).toBeGreaterThan(20);
        expect(await s.sharedSecret('x')).toBe(a);
        expect(await s.sharedSecret('y')).not.toBe(a);
        await s.checkWritable();
      }));

    it('team mode: a challenge is solved once per team, even from many members at once (SPEC §9)', () =>
      withStore(async (s) => {
        const [ann, bob, cy] = await s.syncUsers(['ann', 'bob', 'cy']);
        const members = [ann!, bob!, ann!, bob!, ann!, bob!];
        const race = await Promise.all(members.map((u) => s.recordSolve({ userId: u.id, challengeId: 1, points: 100, ts: 1, reload: false, team: 'Red', bonus: [10] })));
        expect(race.filter((o) => o.kind === 'recorded')).toHaveLength(1);
        expect(race.filter((o) => o.kind === 'already_solved')).toHaveLength(5);
        expect((await s.recordSolve({ userId: cy!.id, challengeId: 1, points: 100, ts: 2, reload: false, team: 'Blue' })).kind).toBe('recorded');
        expect((await s.load()).events).toHaveLength(2);
      }));

    it('team mode: a hint is bought once per team, in order, paid from the team score, never overspent', () =>
      withStore(async (s) => {
        const [ann, bob] = await s.syncUsers(['ann', 'bob']);
        await s.recordSolve({ userId: ann!.id, challengeId: 1, points: 100, ts: 1, reload: false, team: 'Red' });
        const buy = (userId: number, hintId: number, previousHintId: number | null, cost = 60) =>
          s.purchaseHint({ userId, challengeId: 2, hintId, cost, ts: 2, previousHintId, team: 'Red' });
        // Bob has no points of his own: the team's pay. Both members at once buy it once.
        const both = await Promise.all([buy(bob!.id, 1, null), buy(ann!.id, 1, null), buy(bob!.id, 1, null)]);
        expect(both.filter((o) => o.kind === 'recorded')).toHaveLength(1);
        expect(both.filter((o) => o.kind === 'already_purchased')).toHaveLength(2);
        // 40 left: the next 60-point hint is refused to every member, however many ask at once.
        const next = await Promise.all([buy(ann!.id, 2, 1), buy(bob!.id, 2, 1)]);
        expect(next.map((o) => o.kind)).toEqual(['insufficient_points', 'insufficient_points']);
        expect((await buy(bob!.id, 3, 2, 0)).kind).toBe('locked');
      }));
  });
}
