/** Which challenges players cannot see: not yet released (SPEC §7), or hidden by an admin (SPEC §8). */
export class Visibility {
  private unreleased: ReadonlySet<number> = new Set();
  private adminHidden: ReadonlySet<number> = new Set();

  /** Answers whether the set changed. */
  setUnreleased(ids: ReadonlySet<number>): boolean {
    if (sameSet(ids, this.unreleased)) return false;
    this.unreleased = ids;
    return true;
  }

  /** Answers whether the set changed. */
  setAdminHidden(ids: ReadonlySet<number>): boolean {
    if (sameSet(ids, this.adminHidden)) return false;
    this.adminHidden = new Set(ids);
    return true;
  }

  /** Ascending ids of the challenges an admin hid. */
  get hiddenByAdmin(): number[] {
    return [...this.adminHidden].sort((a, b) => a - b);
  }

  isHidden(challengeId: number): boolean {
    return this.unreleased.has(challengeId) || this.adminHidden.has(challengeId);
  }
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}
