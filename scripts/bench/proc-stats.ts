import { readdirSync, readFileSync } from 'node:fs';

// Linux reports CPU times in clock ticks; USER_HZ is 100 on every mainstream kernel build.
const TICKS_PER_SECOND = 100;

/** The stat file of a process, or of one of its threads. */
const statPath = (pid: number, thread?: number) => (thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`);

/** The fields of /proc/<pid>/stat after the command name, or null when the process is gone. */
function statFields(pid: number, thread?: number): string[] | null {
  try {
    const stat = readFileSync(statPath(pid, thread), 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process, or only its main thread, has used so far. */
export function cpuSeconds(pid: number, mainThreadOnly = false): number {
  const fields = statFields(pid, mainThreadOnly ? pid : undefined);
  // utime and stime are fields 14 and 15 of the line, so 11 and 12 counted from 0 after the name (state is 3).
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : 0;
}

/** A process and all its descendants (Postgres runs a process per connection). */
export function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  for (let queue = [rootPid]; queue.length > 0;) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue = queue.concat(children.get(pid) ?? []);
  }
  return tree;
}

/** The process whose command line mentions `text` (the postmaster names its data folder), or null. */
export function findProcess(text: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) && Number(entry) !== process.pid) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/** The peak resident set size (VmHWM) of a process so far, in bytes. */
export function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * Samples the CPU of a set of processes at two moments: the cores they kept
 * busy in between. The set is asked for at each sample, so a process tree
 * (Postgres) counts whoever is there; a process that ended in between loses
 * its share, which is why only long-lived ones are measured.
 */
export function cpuMeter(pids: () => number[], mainThreadOnly = false) {
  let start: { cpu: Map<number, number>; at: number } | null = null;
  let cores: number | null = null;
  const sample = () => new Map(pids().map((pid) => [pid, cpuSeconds(pid, mainThreadOnly)]));
  return {
    start() {
      start = { cpu: sample(), at: performance.now() };
    },
    stop() {
      if (!start) return;
      let used = 0;
      for (const [pid, cpu] of sample()) used += cpu - (start.cpu.get(pid) ?? 0);
      cores = used / ((performance.now() - start.at) / 1000);
    },
    get cores(): number | null {
      return cores;
    },
  };
}
