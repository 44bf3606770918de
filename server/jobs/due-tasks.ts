interface DueTask {
  everyMs: number;
  lastAt: number;
  run(): void;
}

/**
 * Periodic work that keeps its rhythm when the event loop is flooded. Under a
 * flood of reports libuv's poll phase can go on for tens of seconds (up to
 * 48 × 1,024 socket reads per turn) before any timer fires: measured at
 * 100,000 breaker-reports/s, timers stalled for 5–26 s, and with them the
 * dashboards' updates and the flushes. So each task runs when it is due,
 * checked both by a timer (when the loop is free) and by `runDue()`, which
 * the ingest path calls on every report (when it is not).
 */
export function createDueTasks(clock: () => number = () => performance.now()) {
  const tasks: DueTask[] = [];
  const timers: NodeJS.Timeout[] = [];

  const runIfDue = (task: DueTask, at: number) => {
    if (at - task.lastAt < task.everyMs) return;
    task.lastAt = at;
    task.run();
  };

  return {
    /** Runs `run` every `everyMs`; a quarter-period timer bounds the lateness while the loop is free. */
    every(everyMs: number, run: () => void): void {
      const task: DueTask = { everyMs, lastAt: clock(), run };
      tasks.push(task);
      const timer = setInterval(() => runIfDue(task, clock()), Math.max(10, everyMs / 4));
      timer.unref();
      timers.push(timer);
    },
    /** Runs whatever is due: cheap enough (a clock read and a comparison per task) to call for every message. */
    runDue(): void {
      const at = clock();
      for (const task of tasks) runIfDue(task, at);
    },
    stop(): void {
      for (const timer of timers) clearInterval(timer);
      tasks.length = 0;
    },
  };
}
