import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import { StateCounts, worseState } from '../../../server/aggregate/state-counts';

const ANY_STATE = fc.constantFrom<TBreakerState | null>('CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED', null);

describe('StateCounts', () => {
  it('counts states in and out and names the most severe, as worseState over them does', () => {
    // Each step adds a state, or removes the held state at a position (modulo how many are held).
    const step = fc.oneof(fc.record({ add: ANY_STATE }), fc.record({ remove: fc.nat() }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const counts = new StateCounts();
        const held: Array<TBreakerState | null> = [];
        for (const next of steps) {
          if ('add' in next) {
            held.push(next.add);
            counts.add(next.add, 1);
          } else if (held.length > 0) {
            const [state] = held.splice(next.remove % held.length, 1);
            counts.add(state!, -1);
          }
          expect(counts.worst()).toBe(held.reduce(worseState, null));
          expect(counts.of('OPEN')).toBe(held.filter((state) => state === 'OPEN').length);
        }
      }),
      { numRuns: 200 },
    );
  });
});
