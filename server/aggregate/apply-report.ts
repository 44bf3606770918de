import type { TCompactReportData } from '../../lib/protocol/compact-report.js';
import type { TTransition } from '../../lib/protocol/transition.js';
import { stateOfCode, type NamedReport } from '../ingest/named-report';
import type { InstanceState, LiveEntries, PairState } from './live-entries';
import { setStale } from './live-states';

/** The window a report gave, kept in place: no object per breaker per report. */
function setWindow(pair: PairState, numbers: TCompactReportData, b: number): void {
  const window = (pair.window ??= { calls: 0, failureRate: 0, slowCallRate: 0 });
  window.calls = numbers.windowCalls[b]!;
  window.failureRate = numbers.failureRate[b]!;
  window.slowCallRate = numbers.slowCallRate[b]!;
}

/** The pairs a report's names stand for, remembered: a connection hands the same names array to every report, so one comparison does. */
function reportedPairs(instance: InstanceState, names: readonly string[]): NonNullable<InstanceState['reported']> {
  const last = instance.reported;
  if (last && (last.names === names || (last.names.length === names.length && last.names.every((name, index) => name === names[index])))) {
    last.names = names;
    return last;
  }
  const pairs = names.map((name) => instance.pairs.get(name));
  instance.reported = { names, pairs, complete: pairs.every((pair) => pair !== undefined) };
  return instance.reported;
}

/** Reports and transitions applied to the live state: counters, states, liveness and dirty marks. */
export function reportApplier(live: LiveEntries) {
  const { instances, breakers, pending, counters } = live;

  /** Takes breaker `b`'s counters of a report into its pair, its breaker and their buckets; whether an outcome count moved. */
  function count(pair: PairState, numbers: TCompactReportData, b: number, at: number): boolean {
    const bucket = pending.bucketOf(at);
    if (!counters.apply(pair, numbers, b, bucket)) return false;
    const breaker = pair.breaker;
    breaker.recent.counted(at);
    for (let i = 0; i < breaker.totals.length; i++) breaker.totals[i]! += counters.delta[i]!;
    pending.breakerBuckets.add(breaker.slot, bucket, counters.delta, counters.deltaWidth, counters.changed, counters.changedCount);
    return true;
  }

  return {
    /** Whether every breaker a report names is known on the instance (else ingest creates the missing ones first). */
    knowsBreakers(instanceId: string, names: readonly string[]): boolean {
      const instance = instances.get(instanceId);
      return instance !== undefined && reportedPairs(instance, names).complete;
    },

    /**
     * Applies a report; one of the run not newer than the last is ignored (its counters would look like a restart).
     * `counting` false: another server counts the run (counting-handover.ts), so only states and liveness move.
     * Runs for every breaker of every report: no allocation, no string keys, no scan over instances.
     */
    applyReport(instanceId: string, report: NamedReport, counting = true): 'applied' | 'stale_sequence' | 'unknown_instance' {
      const instance = instances.get(instanceId);
      if (!instance) return 'unknown_instance';
      const at = live.now();
      if (report.runId !== instance.runId) {
        // A run that reports without registering (an HTTP reporter restarted): count it from zero, or, when another server counts it, hold no totals of it.
        instance.runId = report.runId;
        instance.lastReportSequence = 0;
        for (const pair of instance.pairs.values()) counters.reset(pair, counting);
      } else if (report.numbers.sequence <= instance.lastReportSequence) return 'stale_sequence';
      instance.lastReportSequence = report.numbers.sequence;
      instance.lastSeenAt = at;
      instance.droppedTransitions = report.numbers.droppedTransitions;
      pending.markSeen(instance);
      const cameBack = instance.stale;
      setStale(instance, false);

      const { numbers } = report;
      const pairs = reportedPairs(instance, report.names).pairs;
      for (let b = 0; b < pairs.length; b++) {
        const pair = pairs[b];
        if (!pair) continue;
        const breaker = pair.breaker;
        const counted = counting && count(pair, numbers, b, at);
        pair.lastReportAt = at;
        setWindow(pair, numbers, b);
        breaker.lastReportAt = at;
        const changed = live.movePair(pair, stateOfCode(numbers.state[b]!), stateOfCode(numbers.wouldBe[b]!), at);
        // Counters change every report, so every reported breaker is dirty; the live layer coalesces those.
        if (changed || cameBack) live.touch(breaker, at);
        else if (counted) live.touch(breaker, at, true);
      }
      if (cameBack) for (const pair of instance.pairs.values()) live.touch(pair.breaker, at);
      return 'applied';
    },

    /** Counts a report applied earlier without counting (another server counted the run then), unless a later one was applied since; states and liveness stay. */
    countReport(instanceId: string, report: NamedReport): void {
      const instance = instances.get(instanceId);
      if (instance?.runId !== report.runId || instance.lastReportSequence !== report.numbers.sequence) return;
      const at = live.now();
      for (const [b, pair] of reportedPairs(instance, report.names).pairs.entries()) if (pair && count(pair, report.numbers, b, at)) live.touch(pair.breaker, at, true);
    },

    /** A stored transition moves the live state unless a newer state is already known. */
    applyTransition(instanceId: string, transition: TTransition, breakerId: string): void {
      const instance = instances.get(instanceId);
      const breaker = breakers.get(breakerId);
      if (!instance || !breaker) return;
      const pair = live.pairEntry(instance, breaker);
      if (pair.stateSince !== null && transition.at < pair.stateSince) return;
      if (live.movePair(pair, transition.to, transition.wouldBe, transition.at)) live.touch(breaker, transition.at);
    },
  };
}
