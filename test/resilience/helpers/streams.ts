import type { Message, Stream } from '../../helpers/client.js';

/** What one scorestream client has learned, across reconnects. */
export class StreamLedger {
  /** every live/resumed event id received, in arrival order (duplicates kept, to be detected) */
  readonly received: number[] = [];
  /** the client holds everything up to this id through a snapshot */
  coveredBySnapshot = 0;
  snapshots = 0;
  resumes = 0;

  /** Folds in the messages of one connection, starting at `from`. */
  absorb(messages: readonly Message[], from = 0): void {
    messages.slice(from).forEach((m, i) => {
      if (Array.isArray(m)) {
        if (i + from === 0) this.resumes++;
        for (const e of m) this.received.push(Number(e.id));
      } else if (m.type === 'snapshot') {
        this.snapshots++;
        this.coveredBySnapshot = Math.max(this.coveredBySnapshot, Number(m.last_id));
      }
    });
  }

  /** The newest event id this client knows of. */
  get lastSeen(): number {
    let max = this.coveredBySnapshot;
    for (const id of this.received) if (id > max) max = id;
    return max;
  }

  duplicates(): number[] {
    const seen = new Set<number>();
    const dups: number[] = [];
    for (const id of this.received) {
      if (seen.has(id)) dups.push(id);
      seen.add(id);
    }
    return dups;
  }

  /** Ids in `dbIds` up to what the client knows that it neither received nor holds through a snapshot. */
  missing(dbIds: readonly number[]): number[] {
    const got = new Set(this.received);
    const upTo = this.lastSeen;
    return dbIds.filter((id) => id <= upTo && id > this.coveredBySnapshot && !got.has(id));
  }

  /** Ids received that the database does not hold (phantoms). */
  phantoms(dbIds: ReadonlySet<number>): number[] {
    return this.received.filter((id) => !dbIds.has(id));
  }
}

/** Waits until every stream satisfies `done`, polling; throws with a count on timeout. */
export async function waitAll(streams: readonly Stream[], done: (s: Stream) => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = streams.filter((s) => !done(s)).length;
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} of ${streams.length} streams still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
