import { countRow } from '../aggregate/counter-deltas';
import type { InstanceState } from '../aggregate/live-entries';
import type { PendingWrites } from '../aggregate/pending-writes';
import type { CounterBaselineRow } from '../store/baseline-store';

// What a pair counted in the buckets not taken yet: one scratch row, the flush reads it synchronously.
const owed = countRow();

/**
 * The counter_baselines row a flush writes for an instance (call right after
 * PendingWrites.take): its pairs' totals less what the open bucket still owes,
 * so they match exactly what is stored with this batch.
 */
export function countedThrough(pending: PendingWrites, instance: Readonly<InstanceState>): Omit<CounterBaselineRow, 'instanceId'> | null {
  if (!instance.runId) return null;
  const breakerIds: string[] = [];
  const widths: number[] = [];
  let length = 0;
  for (const pair of instance.pairs.values()) {
    if (!pair.hasBaseline) continue;
    breakerIds.push(pair.breakerId);
    widths.push(pair.width);
    length += pair.width;
  }
  if (breakerIds.length === 0) return null;
  // One typed array per instance, sized once: a fleet's baselines are millions of numbers per bucket.
  const totals = new Float64Array(length);
  let at = 0;
  for (const pair of instance.pairs.values()) {
    if (!pair.hasBaseline) continue;
    owed.fill(0);
    pending.owedPairCounts(pair.slot, owed);
    for (let i = 0; i < pair.width; i++) totals[at++] = pair.totals[pair.rowAt + i]! - owed[i]!;
  }
  return { runId: instance.runId, breakerIds, widths, totals };
}
