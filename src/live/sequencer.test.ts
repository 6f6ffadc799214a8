import { describe, expect, it } from 'vitest';
import type { EventRecord, ResetMark } from '../storage/store.js';
import { Sequencer } from './sequencer.js';

const ev = (id: number): EventRecord => ({ id, userId: 1, challengeId: id, kind: 'score', hintId: null, points: 1, ts: id, reload: false });

function harness(store: EventRecord[] = [], reset: ResetMark = { count: 0, afterId: 0 }) {
  const applied: number[] = [];
  const resets: number[] = [];
  const seq = new Sequencer(
    {
      applyEvent: (e) => applied.push(e.id),
      applyReset: (m) => resets.push(m.afterId),
      applyLogout: () => undefined,
      applyName: () => undefined,
      applyModeration: () => undefined,
      applyHidden: () => undefined,
      applySettings: () => undefined,
      applyAnnouncement: () => undefined,
      applyReload: () => undefined,
    },
    { appliedId: 0, resetCount: 0, gapMs: 10, catchUp: async (after) => ({ events: store.filter((e) => e.id > after), reset }) },
  );
  return { seq, applied, resets };
}

describe('Sequencer', () => {
  it('applies in id order whatever the arrival order, once', () => {
    const { seq, applied } = harness();
    for (const id of [2, 1, 1, 3, 2]) seq.receive({ kind: 'event', event: ev(id) });
    expect(applied).toEqual([1, 2, 3]);
    seq.close();
  });

  it('fills a gap from the store when a message never comes', async () => {
    const { seq, applied } = harness([ev(1), ev(2), ev(3)]);
    seq.receive({ kind: 'event', event: ev(1) });
    seq.receive({ kind: 'event', event: ev(3) });
    expect(applied).toEqual([1]);
    await new Promise((r) => setTimeout(r, 50));
    expect(applied).toEqual([1, 2, 3]);
    seq.close();
  });

  it('applies a reset at once and drops what it wiped', () => {
    const { seq, applied, resets } = harness();
    seq.receive({ kind: 'event', event: ev(1) });
    seq.receive({ kind: 'event', event: ev(3) }); // 2 is late
    seq.receive({ kind: 'reset', mark: { count: 1, afterId: 3 }, ts: 0 });
    seq.receive({ kind: 'event', event: ev(2) }); // arrives after the reset: obsolete
    seq.receive({ kind: 'reset', mark: { count: 1, afterId: 3 }, ts: 0 }); // echo: ignored
    seq.receive({ kind: 'event', event: ev(4) });
    expect(applied).toEqual([1, 4]);
    expect(resets).toEqual([3]);
    expect(seq.appliedId).toBe(4);
    seq.close();
  });

  it('learns of a missed reset from the store', async () => {
    const { seq, applied, resets } = harness([ev(6)], { count: 1, afterId: 5 });
    seq.receive({ kind: 'event', event: ev(1) });
    seq.receive({ kind: 'event', event: ev(7) }); // gap: 2..6
    await new Promise((r) => setTimeout(r, 50));
    expect(resets).toEqual([5]);
    expect(applied).toEqual([1, 6, 7]);
    seq.close();
  });
});
