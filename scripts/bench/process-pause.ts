/**
 * Stops a set of processes (SIGSTOP) and lets them go on (SIGCONT), in the
 * order given and the reverse: the panel before its Postgres, Postgres before
 * the panel. The set is asked for at each stop, so a process tree counts
 * whoever is there; a process gone meanwhile is skipped.
 */
export function processPause(pids: () => number[]) {
  let stopped: number[] = [];
  const signal = (pid: number, name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // gone meanwhile
    }
  };
  return {
    stop(): void {
      stopped = pids();
      for (const pid of stopped) signal(pid, 'SIGSTOP');
    },
    /** Safe to call when nothing is stopped (cleanup calls it whatever happened). */
    resume(): void {
      for (const pid of [...stopped].reverse()) signal(pid, 'SIGCONT');
      stopped = [];
    },
  };
}
