import type { ChallengeView } from '../../src/protocol/api.js';
import { InputError } from './game-files.js';

interface Orderable {
  readonly id: number;
  readonly requirements: readonly number[];
}

/**
 * A solve order in which every challenge comes after all of its requirements
 * (Kahn's algorithm). Ties keep the file order, which is also the order a player
 * sees in the UI, so the emulated player works through the list top to bottom.
 * Unknown requirement ids and cycles are input errors: such a game cannot be
 * finished, and the server would have refused to load it anyway.
 */
export function solveOrder(challenges: readonly Orderable[]): number[] {
  const ids = new Set(challenges.map((c) => c.id));
  const problems: string[] = [];
  for (const c of challenges) {
    for (const r of c.requirements) {
      if (!ids.has(r)) problems.push(`challenge ${c.id}: requires unknown challenge ${r}`);
      else if (r === c.id) problems.push(`challenge ${c.id}: requires itself`);
    }
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));

  const done = new Set<number>();
  const order: number[] = [];
  // O(n²) in the worst case; a game has tens of challenges, so clarity wins over a heap.
  while (order.length < challenges.length) {
    const next = challenges.find((c) => !done.has(c.id) && c.requirements.every((r) => done.has(r)));
    if (!next) {
      const stuck = challenges.filter((c) => !done.has(c.id)).map((c) => c.id);
      throw new InputError(`requirement cycle among challenges ${stuck.join(', ')}`);
    }
    done.add(next.id);
    order.push(next.id);
  }
  return order;
}

/** The first challenge in solve order that the server shows as visible and unsolved, if any. */
export function nextChallenge(order: readonly number[], visible: readonly ChallengeView[]): ChallengeView | undefined {
  const byId = new Map(visible.map((c) => [c.id, c]));
  for (const id of order) {
    const view = byId.get(id);
    if (view && !view.solved) return view;
  }
  return undefined;
}
