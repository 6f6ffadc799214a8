import type { AdjustEvent, LiveEvent } from '../protocol/messages.js';
import type { EventRecord } from '../storage/store.js';

/** What folding one event into the state gave it. */
export interface Folded {
  /** its worth now: a solve's current value plus its bonus */
  readonly points: number;
  readonly bonus: number;
  readonly blood: 1 | 2 | 3 | undefined;
}

/**
 * The solves cancelled by the revoke events among `events` (each revoke cancels
 * the standing solve of the player's unit: in team mode, their team's).
 */
export function revokedSolves(events: readonly EventRecord[], unitOf: (userId: number) => number = (id) => id): Set<number> {
  const standing = new Map<string, number>();
  const revoked = new Set<number>();
  for (const e of events) {
    const key = `${unitOf(e.userId)}:${e.challengeId}`;
    if (e.kind === 'score') standing.set(key, e.id);
    else if (e.kind === 'revoke') {
      const id = standing.get(key);
      if (id !== undefined) revoked.add(id);
      standing.delete(key);
    }
  }
  return revoked;
}

/** The scorestream form of a score, hint or adjust event (SPEC §4, §7, §8). */
export function liveForm(e: EventRecord, name: string, title: string, folded: Folded, division: string | null = null, team: string | null = null): LiveEvent | AdjustEvent {
  const tail = { ...(division !== null ? { division } : {}), ...(team !== null ? { team } : {}) };
  if (e.kind === 'adjust') {
    return { id: e.id, type: 'adjust', displayname: name, points: folded.points, reason: e.reason ?? '', ts: e.ts, ...tail };
  }
  return {
    id: e.id,
    type: e.kind === 'hint' ? 'hint' : 'score',
    displayname: name,
    ts: e.ts,
    challenge_id: e.challengeId,
    challenge: title,
    points: folded.points,
    ...(e.hintId !== null ? { hint_id: e.hintId } : {}),
    ...(e.reload ? { reload: 'true' as const } : {}),
    ...(folded.blood !== undefined ? { blood: folded.blood } : {}),
    ...tail,
  };
}
