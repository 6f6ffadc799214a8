/** Loads one admin resource: the value, a worded error, and a reload; late answers of stale requests are dropped. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ApiResult } from '../api/client.js';
import { adminFailure } from './format.js';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly loading: boolean;
  readonly reload: () => void;
}

export function useLoad<T>(load: () => Promise<ApiResult<T>>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  // The caller lists what the loader reads, as with useCallback.
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    setLoading(true);
    void run().then((res) => {
      if (mine !== seq.current) return;
      setLoading(false);
      if (res.ok) {
        setData(res.value);
        setError(null);
      } else {
        setError(adminFailure(res.failure));
      }
    });
  }, [run]);
  useEffect(() => reload(), [reload]);
  return { data, error, loading, reload };
}
