import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StateChangeEvent } from '../../../sdk/src/index.js';
import { createTestBreaker, deferred } from './helpers.js';

type Step =
  | { kind: 'call'; outcome: 'success' | 'failure' | 'ignored'; durationMs: number }
  | { kind: 'start'; outcome: 'success' | 'failure' } // a call left in flight
  | { kind: 'settleOldest' }
  | { kind: 'advance'; ms: number }
  | { kind: 'forceOpen' | 'forceClosed' | 'release' | 'reset' }
  | { kind: 'expiringOverride'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('call' as const), outcome: fc.constantFrom('success' as const, 'failure' as const, 'ignored' as const), durationMs: fc.integer({ min: 0, max: 300 }) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), outcome: fc.constantFrom('success' as const, 'failure' as const) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'settleOldest' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3_000 }) }) },
  { weight: 1, arbitrary: fc.constantFrom<Step>({ kind: 'forceOpen' }, { kind: 'forceClosed' }, { kind: 'release' }, { kind: 'reset' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expiringOverride' as const), ms: fc.integer({ min: 1, max: 5_000 }) }) },
);

const AUTOMATIC = new Set(['CLOSED→OPEN:failure_rate', 'CLOSED→OPEN:slow_call_rate', 'OPEN→HALF_OPEN:open_timeout_elapsed', 'HALF_OPEN→CLOSED:trials_succeeded', 'HALF_OPEN→OPEN:trial_failed']);

/** The transition table of automatic-state.ts, as a predicate. */
function allowed(change: StateChangeEvent): boolean {
  if (AUTOMATIC.has(`${change.from}→${change.to}:${change.cause}`)) return true;
  const byHand = change.cause === 'manual' || change.cause === 'command';
  if (change.to === 'FORCED_OPEN' || change.to === 'FORCED_CLOSED') return byHand;
  if (change.to === 'CLOSED') return byHand || (change.cause === 'override_expired' && change.from.startsWith('FORCED_'));
  return false;
}

describe('breaker properties', () => {
  it('counts every call exactly once and only moves along the transition table', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          windowSize: fc.integer({ min: 1, max: 8 }),
          minimumCalls: fc.integer({ min: 1, max: 8 }),
          failureRateThreshold: fc.integer({ min: 1, max: 100 }),
          halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
          timeWindow: fc.boolean(),
        }),
        fc.array(step, { maxLength: 80 }),
        async (config, steps) => {
          const { breaker, clock, changes } = createTestBreaker({
            window: config.timeWindow ? { type: 'time', seconds: config.windowSize } : { type: 'count', size: config.windowSize },
            minimumCalls: Math.min(config.minimumCalls, config.windowSize),
            failureRateThreshold: config.failureRateThreshold,
            halfOpenMaxCalls: config.halfOpenMaxCalls,
            slowCallThreshold: 100,
            slowCallRateThreshold: 80,
            openTimeout: 1_000,
            openTimeoutBackoff: { multiplier: 2, maxMs: 4_000 },
            isFailure: (error) => !(error instanceof RangeError),
          });
          const inFlight: Array<{ settle: () => void; done: Promise<unknown> }> = [];
          let calls = 0;
          for (const current of steps) {
            switch (current.kind) {
              case 'call': {
                calls += 1;
                await breaker
                  .execute(async () => {
                    clock.advance(current.durationMs);
                    if (current.outcome === 'failure') throw new Error('down');
                    if (current.outcome === 'ignored') throw new RangeError('404');
                    return 'ok';
                  })
                  .catch(() => undefined);
                break;
              }
              case 'start': {
                calls += 1;
                const call = deferred();
                const done = breaker.execute(call.call).catch(() => undefined);
                inFlight.push({ settle: () => (current.outcome === 'success' ? call.resolve('ok') : call.reject(new Error('late'))), done });
                break;
              }
              case 'settleOldest': {
                const oldest = inFlight.shift();
                oldest?.settle();
                await oldest?.done;
                break;
              }
              case 'advance':
                clock.advance(current.ms);
                break;
              case 'expiringOverride':
                breaker.forceOpen({ expiresAt: clock.now() + current.ms });
                break;
              default:
                breaker[current.kind]();
            }
          }
          for (const pending of inFlight) pending.settle();
          await Promise.all(inFlight.map((pending) => pending.done));

          const { counters, latency } = breaker.stats();
          // Every call counted exactly once.
          expect(counters.success + counters.failure + counters.timeout + counters.rejected).toBe(calls);
          expect(counters.slow).toBeLessThanOrEqual(counters.success + counters.failure);
          // Every call that was made has exactly one latency sample.
          expect(latency.counts.reduce((sum, count) => sum + count, 0)).toBe(counters.success + counters.failure + counters.timeout);
          // Only allowed transitions, chained without gaps, ending where the breaker is.
          let state = 'CLOSED';
          for (const change of changes) {
            expect(allowed(change), `${change.from}→${change.to}:${change.cause}`).toBe(true);
            expect(change.from).toBe(state);
            expect(change.to).not.toBe(change.from);
            state = change.to;
          }
          expect(breaker.state).toBe(state);
        },
      ),
      { numRuns: 300 },
    );
  });
});
