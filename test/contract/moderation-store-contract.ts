import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/storage/store.js';

/** The moderation part of the Store contract (SPEC §8), for every engine. */
export function moderationStoreContract(name: string, fresh: () => Promise<Store>): void {
  describe(`Store moderation contract: ${name}`, () => {
    const withStore = async (work: (s: Store) => Promise<void>): Promise<void> => {
      const store = await fresh();
      try {
        await work(store);
      } finally {
        await store.close();
      }
    };

    it('revokes a standing solve once, lets it be solved again, and keeps ids gapless', () =>
      withStore(async (s) => {
        const [ann] = await s.syncUsers(['ann']);
        const id = ann!.id;
        const solve = await s.recordSolve({ userId: id, challengeId: 1, points: 100, ts: 1, reload: false });
        expect(solve.kind).toBe('recorded');
        expect(await s.revokeSolve({ userId: id, challengeId: 2, reason: 'none', ts: 2 })).toBeNull();
        const revoke = await s.revokeSolve({ userId: id, challengeId: 1, reason: 'shared flag', ts: 3 });
        expect(revoke).toMatchObject({ userId: id, challengeId: 1, kind: 'revoke', hintId: null, points: 0, reason: 'shared flag' });
        expect(await s.revokeSolve({ userId: id, challengeId: 1, reason: 'again', ts: 4 })).toBeNull();
        const again = await s.recordSolve({ userId: id, challengeId: 1, points: 100, ts: 5, reload: false });
        expect(again.kind).toBe('recorded');
        expect(await s.recordSolve({ userId: id, challengeId: 1, points: 100, ts: 6, reload: false })).toEqual({ kind: 'already_solved' });
        const { events } = await s.load();
        expect(events.map((e) => e.kind)).toEqual(['score', 'revoke', 'score']);
        expect(events.map((e) => e.id - events[0]!.id)).toEqual([0, 1, 2]);
      }));

    it('records adjustments as events that count toward hint purchases; revoked solves do not', () =>
      withStore(async (s) => {
        const [ann] = await s.syncUsers(['ann']);
        const id = ann!.id;
        const adj = await s.recordAdjust({ userId: id, points: 40, reason: 'write-up', ts: 1 });
        expect(adj).toMatchObject({ userId: id, challengeId: 0, kind: 'adjust', hintId: null, points: 40, reason: 'write-up', ts: 1 });
        await s.recordSolve({ userId: id, challengeId: 1, points: 100, ts: 2, reload: false });
        await s.revokeSolve({ userId: id, challengeId: 1, reason: 'x', ts: 3 });
        const hint = (cost: number) => s.purchaseHint({ userId: id, challengeId: 5, hintId: cost, cost, ts: 4, previousHintId: null });
        expect(await hint(50)).toEqual({ kind: 'insufficient_points' });
        expect((await hint(40)).kind).toBe('recorded');
        expect((await s.eventsAfter(adj.id)).events.map((e) => e.kind)).toEqual(['score', 'revoke', 'hint']);
      }));

    it('bans end the sessions, flags are read back with the users, and logins set last_seen', () =>
      withStore(async (s) => {
        const [ann, bob] = await s.syncUsers(['ann', 'bob']);
        for (const [hash, user, at] of [['h1', ann!, 10], ['h2', ann!, 20], ['h3', bob!, 30]] as const) {
          await s.createSession({ idHash: hash, userId: user.id, createdAt: at, expiresAt: at + 1_000_000 });
        }
        expect((await s.setBan(ann!.id, 'bot')).sort()).toEqual(['h1', 'h2']);
        expect(await s.getSession('h1')).toBeNull();
        expect(await s.getSession('h3')).not.toBeNull();
        await s.setUnranked(bob!.id, true);
        const users = await s.syncUsers([]);
        expect(users.find((u) => u.id === ann!.id)).toMatchObject({ banReason: 'bot', unranked: false, lastSeen: 20 });
        expect(users.find((u) => u.id === bob!.id)).toMatchObject({ banReason: null, unranked: true, lastSeen: 30 });
        expect(await s.setBan(ann!.id, null)).toEqual([]);
        expect((await s.syncUsers([])).find((u) => u.id === ann!.id)?.banReason).toBeNull();
      }));

    it('a cleared name is blocked for everyone, even after a reset', () =>
      withStore(async (s) => {
        const [ann, bob] = await s.syncUsers(['ann', 'bob']);
        expect(await s.setDisplayName(ann!.id, 'Rude', 'rude')).toBe('ok');
        await s.clearName(ann!.id, 'rude');
        expect((await s.syncUsers([])).find((u) => u.id === ann!.id)?.displayname).toBeNull();
        expect(await s.setDisplayName(bob!.id, 'RUDE', 'rude')).toBe('taken');
        await s.reset();
        expect(await s.setDisplayName(ann!.id, 'Rude', 'rude')).toBe('taken');
        expect(await s.setDisplayName(ann!.id, 'Polite', 'polite')).toBe('ok');
      }));
  });
}
