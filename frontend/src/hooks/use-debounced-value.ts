import { useEffect, useState } from 'react';

/**
 * `value` once it has stayed the same for `delayMs`, and a `flush` that takes the current value
 * at once. An object value must keep its identity while its content is unchanged (`useMemo`),
 * or every render restarts the wait.
 */
export function useDebouncedValue<T>(value: T, delayMs: number): [debounced: T, flush: () => void] {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return [debounced, () => setDebounced(value)];
}
