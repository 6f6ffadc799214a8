import { describe, expect, it } from 'vitest';
import { challengeValue, decayedValue, type Decay } from './scoring.js';

describe('decayedValue', () => {
  // Computed by hand from SPEC §9 with S = 500, M = 100.
  it('linear: max(M, ceil(S − D·n)) with n = solves − 1', () => {
    const linear: Decay = { function: 'linear', minimum: 100, decay: 25 };
    const table: Array<[number, number]> = [
      [0, 500], // nobody yet: n = 0
      [1, 500], // the first solver keeps the full value
      [2, 475],
      [3, 450],
      [10, 275],
      [17, 100], // 500 − 25·16 = 100
      [18, 100], // would be 75: the minimum holds
      [1000, 100],
    ];
    for (const [solves, value] of table) expect(decayedValue(500, linear, solves), `${solves} solves`).toBe(value);
  });

  it('linear with a fractional decay rounds up and is not fooled by binary fractions', () => {
    const d: Decay = { function: 'linear', minimum: 0, decay: 0.1 };
    expect(decayedValue(10, d, 4)).toBe(10); // ceil(10 − 0.3) = 10, although 0.1 × 3 > 0.3 in binary
    expect(decayedValue(10, d, 11)).toBe(9); // 10 − 1.0
    expect(decayedValue(10, d, 12)).toBe(9); // ceil(8.9) = 9
  });

  it('parabolic: max(M, ceil(S + (M − S)/D² · n²))', () => {
    const parabolic: Decay = { function: 'parabolic', minimum: 100, decay: 20 };
    const table: Array<[number, number]> = [
      [0, 500],
      [1, 500],
      [2, 499], // 500 − 400/400 · 1 = 499
      [3, 496], // − 4
      [6, 475], // n = 5: − 25
      [11, 400], // n = 10: − 100
      [16, 275], // n = 15: − 225
      [20, 139], // n = 19: 500 − 361 = 139
      [21, 100], // n = 20: reaches M
      [40, 100],
    ];
    for (const [solves, value] of table) expect(decayedValue(500, parabolic, solves), `${solves} solves`).toBe(value);
  });

  it('parabolic rounds up: 3 solves with S = 100, M = 10, D = 7', () => {
    // 100 + (10 − 100)/49 · 4 = 100 − 7.3469… = 92.653… → 93
    expect(decayedValue(100, { function: 'parabolic', minimum: 10, decay: 7 }, 3)).toBe(93);
  });

  it('parabolic with D = 0 counts D as 1', () => {
    const d: Decay = { function: 'parabolic', minimum: 50, decay: 0 };
    expect(decayedValue(300, d, 1)).toBe(300);
    expect(decayedValue(300, d, 2)).toBe(50); // 300 − 250·1 = 50
  });
});

describe('challengeValue', () => {
  it('is the points when the challenge has no decay, whatever the solves', () => {
    expect(challengeValue({ points: 250 }, 0)).toBe(250);
    expect(challengeValue({ points: 250 }, 999)).toBe(250);
  });

  it('follows the decay when there is one', () => {
    expect(challengeValue({ points: 500, decay: { function: 'linear', minimum: 100, decay: 25 } }, 3)).toBe(450);
  });
});
