import type { TTransitionRecord } from '../../../lib/api/transition-record';
import type { TBreakerState } from '../../../lib/protocol/breaker-state';
import type { StateSegment } from '../../../components/breaker-detail/state-band';

const SEVERITY: Record<TBreakerState, number> = { FORCED_OPEN: 5, OPEN: 4, HALF_OPEN: 3, FORCED_CLOSED: 2, CLOSED: 1 };

/**
 * Replays instance transitions (any order) into service-wide segments: at
 * each moment the most severe state of any instance. An instance's state
 * before its first transition in the range is that transition's `from`.
 */
export function serviceWideSegments(transitions: TTransitionRecord[], to: number): StateSegment[] {
  const ordered = [...transitions].filter((record) => record.instance !== null).sort((a, b) => a.at - b.at || Number(a.id) - Number(b.id));
  const states = new Map<string, TBreakerState>();
  for (const record of ordered) if (!states.has(record.instance!) && record.from) states.set(record.instance!, record.from);
  const worst = () => {
    let result: TBreakerState | null = null;
    for (const state of states.values()) if (!result || SEVERITY[state] > SEVERITY[result]) result = state;
    return result;
  };
  const segments: StateSegment[] = [];
  let current = worst();
  let since = ordered[0]?.at ?? to;
  for (const record of ordered) {
    states.set(record.instance!, record.to);
    const next = worst();
    if (next === current) continue;
    if (current) segments.push({ state: current, from: since, to: record.at });
    current = next;
    since = record.at;
  }
  if (current) segments.push({ state: current, from: since, to });
  return segments;
}

/** The configuration most instances report, and the instances that differ from it. */
export function configDrift(instances: Array<{ instanceId: string; config: unknown }>): Set<string> {
  const tally = new Map<string, number>();
  const keys = new Map<string, string>();
  for (const instance of instances) {
    if (!instance.config) continue;
    const key = JSON.stringify(instance.config);
    keys.set(instance.instanceId, key);
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const majority = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0];
  return new Set([...keys].filter(([, key]) => key !== majority).map(([id]) => id));
}
