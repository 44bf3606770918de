/** Synchronous periodic work on unref'd timers, stopped together. */
export function createIntervals() {
  const timers: NodeJS.Timeout[] = [];
  return {
    every(everyMs: number, run: () => void): void {
      const timer = setInterval(run, everyMs);
      timer.unref();
      timers.push(timer);
    },
    stop(): void {
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
  };
}
