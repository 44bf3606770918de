/**
 * Runs `work` now and every `intervalMs`, one run at a time (a slow run
 * delays the next instead of overlapping it). `work` must handle its own
 * errors: a job that throws stops nothing, but nobody hears of it either.
 */
export function startPeriodicJob(work: () => Promise<void>, intervalMs: number) {
  let running: Promise<void> = Promise.resolve();
  const run = () => (running = running.then(work));
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    /** The first run. */
    first: run(),
    /** Stops the timer and waits for the run in progress. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
