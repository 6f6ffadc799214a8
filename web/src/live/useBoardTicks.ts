/** Hooks shared by the scoreboard page and the projector board. */
import { useEffect, useRef, useState } from 'preact/hooks';

/** The time, refreshed every `intervalMs`: chart lines are drawn to "now", so plateaus keep growing. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

/** Names whose score changed in the last update, for `flashMs`, so their rows can flash. */
export function useChangedRows(rows: readonly { readonly displayname: string; readonly score: number }[], flashMs: number): ReadonlySet<string> {
  const prev = useRef<Map<string, number> | null>(null);
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const before = prev.current;
    prev.current = new Map(rows.map((r) => [r.displayname, r.score]));
    if (before === null) return undefined;
    const diff = new Set(rows.filter((r) => before.get(r.displayname) !== r.score).map((r) => r.displayname));
    if (diff.size === 0) return undefined;
    setChanged(diff);
    const t = setTimeout(() => setChanged(new Set()), flashMs);
    return () => clearTimeout(t);
  }, [rows, flashMs]);
  return changed;
}
