import { readFileSync } from 'node:fs';

/**
 * When a process started, in clock ticks since boot (Linux's
 * /proc/<pid>/stat, field 22), or null where that cannot be read. With the
 * pid it names one process for good: a pid reused by another process after a
 * crash has another start time.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid exists (EPERM: it does, but belongs to another account). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process a (pid, start time) pair named is still the one running under that pid. */
export function sameProcessAlive(pid: number, startTime: string | null): boolean {
  if (!pidAlive(pid)) return false;
  if (startTime === null) return true;
  const now = processStartTime(pid);
  return now === null || now === startTime;
}

/** Whether a live pid runs the `postgres` program (Linux's /proc/<pid>/comm); true where that cannot be read. */
export function isPostgresProcess(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' || !readableProc();
  }
}

function readableProc(): boolean {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
}
