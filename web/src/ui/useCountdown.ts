/** Seconds left until a rate limit lifts, ticking once a second; 0 when not limited. */
import { useEffect, useState } from 'preact/hooks';

export function useCountdown(): [secondsLeft: number, start: (seconds: number | null) => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (until <= now) return undefined;
    const t = setTimeout(() => setNow(Date.now()), Math.min(1000, until - now));
    return () => clearTimeout(t);
  }, [until, now]);

  const start = (seconds: number | null): void => {
    const t = Date.now();
    setNow(t);
    setUntil(t + Math.max(1, seconds ?? 5) * 1000);
  };
  return [Math.max(0, Math.ceil((until - now) / 1000)), start];
}
