import { describe, expect, it } from 'vitest';
import type { BusMessage, FanOut } from '../../src/live/fanout.js';

/** What every bus must do: carry each message to every other instance, intact and in publish order. */
export function fanoutContract(name: string, pair: () => Promise<[FanOut, FanOut, FanOut]>): void {
  describe(`FanOut contract: ${name}`, () => {
    it('delivers every message to every other instance, in order, intact', async () => {
      const [a, b, c] = await pair();
      try {
        const got: Record<'b' | 'c', BusMessage[]> = { b: [], c: [] };
        b.subscribe((m) => got.b.push(m));
        c.subscribe((m) => got.c.push(m));
        const sent: BusMessage[] = [
          ...Array.from({ length: 50 }, (_, i): BusMessage => ({
            kind: 'event',
            event: { id: i + 1, userId: 1, challengeId: i, kind: 'score', hintId: null, points: 10, ts: 1000 + i, reload: i % 2 === 0 },
          })),
          { kind: 'reset', mark: { count: 1, afterId: 50 }, ts: 2000 },
          { kind: 'logout', sessionHash: 'abc' },
          { kind: 'name', userId: 1, name: 'Ädä ✓' },
        ];
        for (const m of sent) await a.publish(m);
        const deadline = Date.now() + 5000;
        while ((got.b.length < sent.length || got.c.length < sent.length) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        expect(got.b).toEqual(sent);
        expect(got.c).toEqual(sent);
      } finally {
        await Promise.all([a.close(), b.close(), c.close()]);
      }
    });
  });
}
