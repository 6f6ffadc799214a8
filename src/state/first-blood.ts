import type { EventRecord } from '../storage/store.js';
import type { Unit } from './player.js';

/** Folds an event into its unit's own progress; false when already applied (or a teammate's duplicate). */
export function takeFresh(u: Unit, e: EventRecord): boolean {
  if (e.kind === 'score') {
    if (u.solved.has(e.challengeId)) return false;
    u.solved.add(e.challengeId);
  } else if (e.kind === 'hint') {
    let bought = u.hints.get(e.challengeId);
    if (!bought) u.hints.set(e.challengeId, (bought = new Set()));
    if (bought.has(e.hintId as number)) return false;
    bought.add(e.hintId as number);
  }
  return true;
}

/**
 * First-blood ranks (SPEC §7): the first three counted solvers of each
 * challenge (teams in team mode) and the bonus each solve got.
 */
export class FirstBlood {
  private readonly counts = new Map<number, number>();
  /** event id → its bonus, for the few solves that have one */
  private readonly bonusById = new Map<number, number>();

  constructor(public bonus: readonly number[]) {}

  /** The rank and bonus of a new solve; only counted solvers take a rank. */
  rank(e: EventRecord, counted: boolean): { bonus: number; blood: 1 | 2 | 3 | undefined } {
    if (e.kind !== 'score' || !counted) return { bonus: 0, blood: undefined };
    const rank = (this.counts.get(e.challengeId) ?? 0) + 1;
    this.counts.set(e.challengeId, rank);
    if (rank > 3) return { bonus: 0, blood: undefined };
    const bonus = this.bonus[rank - 1] ?? 0;
    if (bonus > 0) this.bonusById.set(e.id, bonus);
    return { bonus, blood: rank as 1 | 2 | 3 };
  }

  bonusOf(eventId: number): number {
    return this.bonusById.get(eventId) ?? 0;
  }

  clear(): void {
    this.counts.clear();
    this.bonusById.clear();
  }
}
