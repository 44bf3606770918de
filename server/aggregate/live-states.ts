import type { InstanceState, LiveEntries, PairState } from './live-entries';

/** Counts a pair into (+1) or out of (-1) its breaker's live counts (every change counts it out, changes, counts it back in); one with no state yet has no row, so counts in no state and not stale. */
export function countPair(pair: PairState, delta: 1 | -1): void {
  const breaker = pair.breaker;
  if (pair.state === null) return;
  if (pair.instance.stale) breaker.stalePairs += delta;
  else {
    breaker.live.add(pair.state, delta);
    breaker.liveWouldBe.add(pair.wouldBe, delta);
  }
}

/** Marks an instance stale or live again: a stale instance's pairs count as stale, never in a state. */
export function setStale(instance: InstanceState, stale: boolean): void {
  if (instance.stale === stale) return;
  for (const pair of instance.pairs.values()) countPair(pair, -1);
  instance.stale = stale;
  for (const pair of instance.pairs.values()) countPair(pair, 1);
}

/** Marks instances that stopped reporting as stale; returns how many turned stale. */
export function checkLiveness(live: LiveEntries): number {
  const at = live.now();
  let turned = 0;
  for (const instance of live.instances.values()) {
    if (instance.stale || instance.lastSeenAt === null || at - instance.lastSeenAt <= live.staleAfterMs) continue;
    setStale(instance, true);
    turned += 1;
    for (const pair of instance.pairs.values()) live.touch(pair.breaker, at);
  }
  return turned;
}
