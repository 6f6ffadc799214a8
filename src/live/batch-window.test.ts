import { describe, expect, it } from 'vitest';
import { batchWindow, CROWD_MAX_WINDOW_MS, JoinRate, RECONNECT_CROWD } from './batch-window.js';

const options = { coalesceMs: 25, maxCoalesceMs: 150 };

describe('batchWindow', () => {
  it('grows with the sockets and the last batch, up to the cap, in normal play', () => {
    expect(batchWindow(options, 100, 1, 0)).toBe(25);
    expect(batchWindow(options, 5000, 20, 0)).toBe(100);
    expect(batchWindow(options, 10_000, 60, 0)).toBe(150);
    // A batch that took longer than the cap does not push the window past it.
    expect(batchWindow(options, 10_000, 400, RECONNECT_CROWD - 1)).toBe(150);
  });

  it('stretches to three times the last batch, up to a second, while a crowd reconnects', () => {
    expect(batchWindow(options, 10_000, 200, RECONNECT_CROWD)).toBe(600);
    expect(batchWindow(options, 10_000, 500, 5000)).toBe(CROWD_MAX_WINDOW_MS);
    // Never shorter than in normal play.
    expect(batchWindow(options, 10_000, 10, 5000)).toBe(150);
  });
});

describe('JoinRate', () => {
  it('counts the sockets added in the current and the previous quarter second, and forgets older ones', () => {
    const rate = new JoinRate();
    for (let i = 0; i < 150; i++) rate.note(10_000 + i);
    for (let i = 0; i < 100; i++) rate.note(10_250 + i);
    expect(rate.recent(10_400)).toBe(250);
    expect(rate.recent(10_600)).toBe(100);
    expect(rate.recent(10_750)).toBe(0);
    rate.note(20_000);
    expect(rate.recent(20_001)).toBe(1);
  });
});
