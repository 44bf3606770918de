import type { Browser, Page } from '@playwright/test';

/** The fields of a Chrome trace event read here. */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event, in µs: on a shared machine a task's wall time also counts the time the thread waited for a core. */
  tdur?: number;
  pid: number;
  tid: number;
}

// Tasks and the main thread's frame starts; nothing else is recorded.
const CATEGORIES = ['disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame'];

/**
 * Records the page's trace (Chrome only); `stop` returns how long the
 * renderer's main thread worked in each frame. At 60 Hz a frame's interval is
 * 16.7 ms whatever the page does, so it is the work in it that tells whether
 * the page keeps up.
 */
export async function startFrameTrace(browser: Browser, page: Page): Promise<{ stop(): Promise<{ work: number[]; longestTaskCpuMs: number }> }> {
  await browser.startTracing(page, { categories: CATEGORIES });
  return {
    async stop() {
      const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
      const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
      return { work: frameWork(events), longestTaskCpuMs: longestTaskCpu(events) };
    },
  };
}

const thread = (event: TraceEvent) => `${event.pid}:${event.tid}`;

/** The thread that started the most main-thread frames (the page's renderer), with its frame starts. */
function mainThread(events: readonly TraceEvent[]): [string, number[]] {
  const begins = new Map<string, number[]>();
  for (const event of events) if (event.name === 'BeginMainThreadFrame') begins.set(thread(event), [...(begins.get(thread(event)) ?? []), event.ts]);
  return [...begins].sort((a, b) => b[1].length - a[1].length)[0] ?? ['', []];
}

/** The most CPU time (ms) one task of the page's main thread took: unlike its wall time, it does not grow with the machine's load. */
export function longestTaskCpu(events: readonly TraceEvent[]): number {
  const [main] = mainThread(events);
  let longest = 0;
  for (const event of events) if (event.name === 'RunTask' && event.ph === 'X' && thread(event) === main) longest = Math.max(longest, event.tdur ?? 0);
  return longest / 1000;
}

/**
 * The main thread's busy time (its tasks, in ms) between each start of a
 * main-thread frame and the next, on the thread that started the most
 * frames (the page's renderer).
 */
export function frameWork(events: readonly TraceEvent[]): number[] {
  const [main, starts] = mainThread(events);
  const tasks = events.filter((event) => event.name === 'RunTask' && event.ph === 'X' && thread(event) === main).sort((a, b) => a.ts - b.ts);
  starts.sort((a, b) => a - b);
  const work: number[] = [];
  let first = 0;
  for (let frame = 0; frame + 1 < starts.length; frame++) {
    const from = starts[frame]!;
    const to = starts[frame + 1]!;
    let busy = 0;
    while (first < tasks.length && tasks[first]!.ts + (tasks[first]!.dur ?? 0) <= from) first += 1;
    for (let index = first; index < tasks.length && tasks[index]!.ts < to; index++) {
      const task = tasks[index]!;
      busy += Math.max(0, Math.min(to, task.ts + (task.dur ?? 0)) - Math.max(from, task.ts));
    }
    work.push(busy / 1000);
  }
  return work;
}
