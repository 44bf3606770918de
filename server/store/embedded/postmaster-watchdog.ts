import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';

export interface PostmasterWatchdog {
  /** The postmaster to stop should this process die; sent again after every restart. */
  watch(pid: number): void;
  /** This process let go of the cluster (it stopped it itself): the watchdog exits. */
  release(): void;
}

// Reads pids from its standard input until that closes, which happens when the
// panel exits for whatever reason, kill -9 included (the kernel closes the pipe).
// Then the last pid it was given gets a fast shutdown, an immediate one after
// 30 s, and SIGKILL after 10 s more; a pid that is already gone ends it at once.
const WATCHDOG_SCRIPT = `
pid=0
while read -r line; do pid="$line"; done
[ "$pid" -gt 0 ] 2>/dev/null || exit 0
kill -INT "$pid" 2>/dev/null || exit 0
n=0
while kill -0 "$pid" 2>/dev/null; do
  n=$((n + 1))
  if [ "$n" -eq 300 ]; then kill -QUIT "$pid" 2>/dev/null; fi
  if [ "$n" -eq 400 ]; then kill -KILL "$pid" 2>/dev/null; exit 0; fi
  sleep 0.1
done
`;

/**
 * A small detached shell process that outlives this one only to stop the
 * embedded Postgres when this process dies without stopping it, so that the
 * database never runs on orphaned and the next start finds the folder free.
 * A pipe rather than polling a pid: its end is seen at once and cannot be
 * fooled by a reused pid.
 */
export function startPostmasterWatchdog(): PostmasterWatchdog | null {
  if (process.platform === 'win32') return null;
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  // A watchdog that could not start leaves the cluster as before: stopped by this process, or by the next start.
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  child.unref();
  // Neither the process nor its pipe keeps this process alive.
  (child.stdin as Socket | null)?.unref?.();
  return {
    watch(pid) {
      child.stdin?.write(`${pid}\n`);
    },
    release() {
      child.stdin?.write('0\n');
      child.stdin?.end();
    },
  };
}
