// Loads data from the API for a screen: loading, data, the failure in words, and reload. Results
// of an older call never overwrite a newer one (filters change faster than answers arrive).
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiFailure, type ApiFailure } from '../api/api-error-text.ts';

export interface ApiQuery<T> {
  data: T | undefined;
  loading: boolean;
  failure: ApiFailure | null;
  reload(): void;
}

export function useApiQuery<T>(load: () => Promise<T>, deps: readonly unknown[]): ApiQuery<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    const call = ++latest.current;
    setLoading(true);
    loader
      .current()
      .then((value) => {
        if (call !== latest.current) return;
        setData(value);
        setFailure(null);
      })
      .catch((error: unknown) => {
        if (call === latest.current) setFailure(apiFailure(error));
      })
      .finally(() => {
        if (call === latest.current) setLoading(false);
      });
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, loading, failure, reload };
}
