import { describe, expect, it } from 'vitest';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import { worstState } from '../../../server/aggregate/service-state';
import { StateCounts } from '../../../server/aggregate/state-counts';

describe('StateCounts', () => {
  it('counts states in and out and names the most severe, as worstState does', () => {
    const counts = new StateCounts();
    const held: Array<TBreakerState | null> = [];
    const all: Array<TBreakerState | null> = ['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED', null];
    let seed = 7;
    for (let step = 0; step < 500; step++) {
      seed = (seed * 48_271) % 2_147_483_647;
      if (held.length > 0 && seed % 3 === 0) {
        const [state] = held.splice(seed % held.length, 1);
        counts.add(state!, -1);
      } else {
        const state = all[seed % all.length]!;
        held.push(state);
        counts.add(state, 1);
      }
      expect(counts.worst()).toBe(worstState(held));
      expect(counts.of('OPEN')).toBe(held.filter((state) => state === 'OPEN').length);
    }
  });
});
