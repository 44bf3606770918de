import type { Aggregate } from '../aggregate/aggregate';
import { countRow } from '../aggregate/counter-deltas';
import type { InstanceState, PairState } from '../aggregate/live-entries';
import type { PendingWrites } from '../aggregate/pending-writes';
import type { CounterBaselineRow } from '../store/baseline-store';

// What a pair counted in the buckets not taken yet: one scratch row, read synchronously.
const owed = countRow();

/** Writes into `into` from `at` a pair's totals less what the buckets not taken yet still owe (and less `moved`, when the totals just moved by that). */
function writeLessOwed(pending: PendingWrites, pair: PairState, into: Float64Array, at: number, moved: Float64Array | null = null): void {
  owed.fill(0);
  pending.owedPairCounts(pair.slot, owed);
  for (let i = 0; i < pair.width; i++) into[at + i] = pair.totals[pair.rowAt + i]! - owed[i]! - (moved ? moved[i]! : 0);
}

/**
 * The counter_baselines row of an instance's run: its pairs' totals less what
 * the buckets not taken yet owe, which is exactly what the batches taken so far
 * store; `kept` holds pairs' rows from before their totals moved unseen.
 */
export function countedThrough(pending: PendingWrites, instance: Readonly<InstanceState>, kept?: ReadonlyMap<PairState, Float64Array>): Omit<CounterBaselineRow, 'instanceId'> | null {
  if (!instance.runId) return null;
  // A kept row as it was; otherwise a pair counts once it has a baseline.
  const widthOf = (pair: PairState) => kept?.get(pair)?.length ?? (pair.hasBaseline ? pair.width : 0);
  const breakerIds: string[] = [];
  const widths: number[] = [];
  for (const pair of instance.pairs.values()) {
    const width = widthOf(pair);
    if (width === 0) continue;
    breakerIds.push(pair.breakerId);
    widths.push(width);
  }
  if (breakerIds.length === 0) return null;
  // One typed array per instance, sized once: a fleet's rows are millions of numbers per bucket.
  const totals = new Float64Array(widths.reduce((sum, width) => sum + width, 0));
  let at = 0;
  for (const pair of instance.pairs.values()) {
    const row = kept?.get(pair);
    if (row) totals.set(row, at);
    else if (pair.hasBaseline) writeLessOwed(pending, pair, totals, at);
    at += widthOf(pair);
  }
  return { runId: instance.runId, breakerIds, widths, totals };
}

/**
 * The counted-through rows of the instances that counted in a taken batch,
 * each built only when its statement is (a fleet's rows are tens of
 * megabytes; docs/performance.md, "Crash-exact counters"). Totals less owed
 * stay what they were at the take while reports come in, as each report adds
 * to both; a pair whose totals move otherwise is kept as it was just before,
 * and an instance whose run changed since is left out (its new run's row is
 * stored already). `close()` once the flush is done.
 */
export class CountedThroughRows {
  readonly instanceIds: string[];
  private readonly runs = new Map<string, string>();
  private readonly kept = new Map<PairState, Float64Array>();

  constructor(
    private readonly aggregate: Aggregate,
    counting: Iterable<string>,
  ) {
    for (const id of counting) {
      const runId = aggregate.instances.get(id)?.runId;
      if (runId) this.runs.set(id, runId);
    }
    this.instanceIds = [...this.runs.keys()];
    aggregate.counters.beforeUnseenMove = (pair, moved) => {
      if (!pair.hasBaseline || this.kept.has(pair) || !this.runs.has(pair.instanceId)) return;
      const row = new Float64Array(pair.width);
      writeLessOwed(aggregate.pending, pair, row, 0, moved);
      this.kept.set(pair, row);
    };
  }

  /** The rows of these instances (by index in instanceIds) as of the take. */
  rows(indices: readonly number[]): CounterBaselineRow[] {
    const rows: CounterBaselineRow[] = [];
    for (const index of indices) {
      const instanceId = this.instanceIds[index]!;
      const instance = this.aggregate.instances.get(instanceId);
      const counted = instance?.runId === this.runs.get(instanceId) && countedThrough(this.aggregate.pending, instance!, this.kept);
      if (counted) rows.push({ instanceId, ...counted });
    }
    return rows;
  }

  close(): void {
    this.aggregate.counters.beforeUnseenMove = undefined;
  }
}
