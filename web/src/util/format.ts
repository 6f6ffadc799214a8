/** Small presentation helpers shared by several views. */

export type DifficultyTone = 'easy' | 'medium' | 'hard' | 'insane' | 'other';

/** Maps free-text difficulty from challenges.json onto a colour family. */
export function difficultyTone(difficulty: string): DifficultyTone {
  const d = difficulty.trim().toLowerCase();
  if (/^(very ?easy|easy|beginner|trivial|warm-?up|baby)$/.test(d)) return 'easy';
  if (/^(medium|normal|intermediate|moderate)$/.test(d)) return 'medium';
  if (/^(hard|difficult|advanced)$/.test(d)) return 'hard';
  if (/^(very ?hard|insane|expert|extreme|brutal|elite)$/.test(d)) return 'insane';
  return 'other';
}

/** Rank of a difficulty for sorting cards inside a category: easy first. */
export function difficultyRank(difficulty: string): number {
  return { easy: 0, medium: 1, hard: 2, insane: 3, other: 4 }[difficultyTone(difficulty)];
}

export function formatPoints(points: number): string {
  return `${points.toLocaleString('en-US')} pts`;
}

export function formatClock(ts: number): string {
  if (ts <= 0) return '—';
  const d = new Date(ts);
  // 24-hour clock, like the chart's axis, so the table and the chart read the same.
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

/** Categories in order of first appearance, which is the order authors wrote them in. */
export function groupByCategory<T extends { readonly category: string }>(items: readonly T[]): Array<[string, T[]]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(item.category);
    if (list) list.push(item);
    else groups.set(item.category, [item]);
  }
  return [...groups.entries()];
}

/** Server-side score from what /api/challenges shows: solved points minus revealed hint costs. */
export function scoreFromChallenges(
  challenges: ReadonlyArray<{ readonly solved: boolean; readonly points: number; readonly hints: ReadonlyArray<{ readonly cost: number; readonly text?: string }> }>,
): number {
  let total = 0;
  for (const c of challenges) {
    if (c.solved) total += c.points;
    for (const h of c.hints) if (h.text !== undefined) total -= h.cost;
  }
  return total;
}
