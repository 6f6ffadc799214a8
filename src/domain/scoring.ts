/**
 * Dynamic scoring (SPEC §9): a challenge's value falls as more players (or teams) solve it.
 * Pure functions, shared by the server and the app's tooltip.
 */

export const DECAY_FUNCTIONS = ['linear', 'parabolic'] as const;
export type DecayFunction = (typeof DECAY_FUNCTIONS)[number];

export interface Decay {
  readonly function: DecayFunction;
  /** the value never goes below this */
  readonly minimum: number;
  /** linear: points lost per solve; parabolic: the solve count at which the minimum is reached */
  readonly decay: number;
}

/** Rounds away binary-fraction noise (0.1 × 3 = 0.30000000000000004) before ceil, so ceil(S − 0.3) stays S. */
function clean(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/**
 * The value of a challenge with initial value `initial` after `solves` counted solves
 * (players or teams neither banned nor unranked). n = max(solves − 1, 0), so the first solver
 * alone keeps the full value:
 * - linear:    max(M, ceil(S − D·n))
 * - parabolic: max(M, ceil(S + (M − S) / D² · n²)), D = 0 counting as 1
 */
export function decayedValue(initial: number, decay: Decay, solves: number): number {
  const n = Math.max(solves - 1, 0);
  const { minimum: m } = decay;
  if (decay.function === 'linear') return Math.max(m, Math.ceil(clean(initial - decay.decay * n)));
  const d = decay.decay === 0 ? 1 : decay.decay;
  return Math.max(m, Math.ceil(clean(initial + ((m - initial) / (d * d)) * n * n)));
}

/** A challenge's current value: its points, or the decayed value when it has a decay. */
export function challengeValue(c: { readonly points: number; readonly decay?: Decay | undefined }, solves: number): number {
  return c.decay === undefined ? c.points : decayedValue(c.points, c.decay, solves);
}
