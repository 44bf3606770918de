import type { TDeployMark } from './timeline';

/** One run of one instance (a process start) with the `version` label it registered. */
export interface TInstanceRun {
  service: string;
  instance: string;
  startedAt: number;
  version: string | null;
}

/** Instances that start a version within this long of the first one belong to the same rollout marker. */
export const ROLLOUT_WINDOW_MS = 15 * 60_000;

/**
 * Deploy markers in [from, to): a run whose `version` differs from its
 * instance's previous run (an instance's first run counts when the service
 * was already running something else). Instances of one service moving to
 * one version within ROLLOUT_WINDOW_MS of each other make one marker, so a
 * rolling deploy over twenty instances is one tick on the lanes, not twenty.
 * `runs` must include the runs before `from`, to know what came before.
 */
export function deployMarks(runs: readonly TInstanceRun[], from: number, to: number): TDeployMark[] {
  const ordered = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  const lastByInstance = new Map<string, string | null>();
  const lastByService = new Map<string, string>();
  const seen = new Set<string>();
  const marks: TDeployMark[] = [];
  for (const run of ordered) {
    const key = `${run.service}\u0000${run.instance}`;
    const versionKey = `${run.service}\u0000${run.version}`;
    // A new instance is a deploy only when it brings a version the service never ran (scaling out on the running one is not).
    const previous = lastByInstance.has(key) ? lastByInstance.get(key)! : seen.has(versionKey) ? run.version : (lastByService.get(run.service) ?? null);
    lastByInstance.set(key, run.version);
    if (run.version !== null) {
      lastByService.set(run.service, run.version);
      seen.add(versionKey);
    }
    const changed = run.version !== null && previous !== null && previous !== run.version;
    if (!changed || run.startedAt < from || run.startedAt >= to) continue;
    const rollout = marks.find((mark) => mark.service === run.service && mark.version === run.version && run.startedAt - mark.at <= ROLLOUT_WINDOW_MS);
    if (rollout) {
      if (!rollout.instances.includes(run.instance)) rollout.instances.push(run.instance);
    } else marks.push({ at: run.startedAt, service: run.service, version: run.version!, previous, instances: [run.instance] });
  }
  return marks;
}
