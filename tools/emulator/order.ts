import type { ChallengeView } from '../../src/protocol/api.js';

export { solveOrder } from '../shared/challenges.js';

/** The first challenge in solve order that the server shows as visible and unsolved, if any. */
export function nextChallenge(order: readonly number[], visible: readonly ChallengeView[]): ChallengeView | undefined {
  const byId = new Map(visible.map((c) => [c.id, c]));
  for (const id of order) {
    const view = byId.get(id);
    if (view && !view.solved) return view;
  }
  return undefined;
}
