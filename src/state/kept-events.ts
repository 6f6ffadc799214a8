import type { EventRecord } from '../storage/store.js';
import { revokedSolves } from './live-form.js';

/**
 * Every event since the last reset, in id order (rebuilds replay them), and
 * the solves a revoke cancelled. A revoke cancels the standing solve of the
 * player's unit: in team mode, their team's, whichever member made it.
 */
export class KeptEvents {
  private list: EventRecord[] = [];
  private readonly revoked: Set<number>;

  /** `unitOf`: a user id's unit id (the player's own id when alone). */
  constructor(
    stored: readonly EventRecord[],
    private readonly unitOf: (userId: number) => number,
  ) {
    this.revoked = revokedSolves(stored, unitOf);
  }

  get newest(): EventRecord | undefined {
    return this.list[this.list.length - 1];
  }

  isRevoked(eventId: number): boolean {
    return this.revoked.has(eventId);
  }

  push(e: EventRecord): void {
    this.list.push(e);
  }

  /** The events a rebuild folds: every standing (not revoked) score, hint and adjust event. */
  *standing(): Generator<EventRecord> {
    for (const e of this.list) if (e.kind !== 'revoke' && !this.revoked.has(e.id)) yield e;
  }

  /** The unit's standing solve of a challenge, newest first; undefined when none. */
  standingSolve(unit: number, challengeId: number): EventRecord | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const k = this.list[i] as EventRecord;
      if (k.kind === 'score' && k.challengeId === challengeId && !this.revoked.has(k.id) && this.unitOf(k.userId) === unit) return k;
    }
    return undefined;
  }

  /** Cancels the unit's standing solve of the revoke's challenge. */
  revoke(e: EventRecord): void {
    const solve = this.standingSolve(this.unitOf(e.userId), e.challengeId);
    if (solve) this.revoked.add(solve.id);
  }

  clear(): void {
    this.list = [];
    this.revoked.clear();
  }
}
