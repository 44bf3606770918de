import { useEffect, useRef, useState } from 'react';

/**
 * The value, changing at most once per `intervalMs` (the latest one wins).
 * The overview re-sorts 10,000 breakers from it: once a second is plenty for
 * the order, while each row still updates live.
 */
export function useThrottled<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    const wait = lastAt.current + intervalMs - Date.now();
    const timer = setTimeout(
      () => {
        lastAt.current = Date.now();
        setShown(value);
      },
      Math.max(0, wait),
    );
    return () => clearTimeout(timer);
  }, [value, intervalMs]);
  return shown;
}
