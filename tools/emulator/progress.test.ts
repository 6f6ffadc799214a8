import { describe, expect, it } from 'vitest';
import { ProgressDisplay, type ProgressOutput } from './progress.js';
import type { Progress } from './run.js';

const progress = (elapsedMs: number): Progress => ({
  elapsedMs,
  players: 10,
  started: 10,
  loggedIn: 7,
  done: 2,
  failed: 1,
  solves: 40,
  expectedSolves: 150,
  confirmed: 38,
  errors: 1,
  requests: 400,
  requestRate: 123,
});

function sink(isTTY: boolean): ProgressOutput & { text: string } {
  const out = { text: '', isTTY, columns: 200, write: (s: string) => (out.text += s) };
  return out;
}

describe('ProgressDisplay', () => {
  it('redraws one line in place on a terminal', () => {
    const out = sink(true);
    const d = new ProgressDisplay(out, { quiet: false });
    d.update(progress(100));
    d.update(progress(350));
    d.finish(progress(400));
    expect(out.text.split('\r\x1b[2K')).toHaveLength(4);
    expect(out.text).toContain('players 7/10 logged in, 2 done, 1 failed | solves 40/150 (38 confirmed) | errors 1 | 123 req/s');
    expect(out.text.endsWith('\n')).toBe(true);
    expect(out.text.split('\n')).toHaveLength(2);
  });

  it('prints a plain line every few seconds into a pipe, and the final state', () => {
    const out = sink(false);
    const d = new ProgressDisplay(out, { quiet: false, plainEveryMs: 5000 });
    for (let t = 0; t <= 12_000; t += 1000) d.update(progress(t));
    d.finish(progress(12_500));
    expect(out.text).not.toContain('\r');
    expect(out.text.trim().split('\n')).toHaveLength(4);
  });

  it('prints nothing when quiet', () => {
    const out = sink(true);
    const d = new ProgressDisplay(out, { quiet: true });
    d.update(progress(1));
    d.finish(progress(2));
    expect(out.text).toBe('');
  });
});
