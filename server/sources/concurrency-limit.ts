/**
 * At most `limit` reads in flight across every source: a thousand targets
 * polled at once would open a thousand connections and starve the event
 * loop. Waiting reads run in the order they asked.
 */
export function createConcurrencyLimit(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active -= 1;
    const next = waiting.shift();
    if (next) {
      active += 1;
      next();
    }
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else active += 1;
      try {
        return await work();
      } finally {
        release();
      }
    },
    stats: () => ({ active, waiting: waiting.length }),
  };
}

export type ConcurrencyLimit = ReturnType<typeof createConcurrencyLimit>;
