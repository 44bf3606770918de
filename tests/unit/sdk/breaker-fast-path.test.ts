import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, type Disposer } from '../../../sdk/src/index.js';
import { createTestBreaker, deferred, fail, run, succeed, takes } from './helpers.js';

// execute()'s shortcuts (shared outcome callbacks, successes a clean window
// absorbs) must be invisible: these tests hold the breaker to a plain model.

type Step = { kind: 'call'; failed: boolean; slow: boolean } | { kind: 'listen' } | { kind: 'stopListening' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('call' as const), failed: fc.boolean(), slow: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'listen' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stopListening' as const }) },
);

const SLOW_MS = 100;

describe('execute fast path', () => {
  it('keeps the count window, trips, counters and success events equal to a model of the last calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          size: fc.integer({ min: 1, max: 6 }),
          minimumCalls: fc.integer({ min: 1, max: 6 }),
          failureRateThreshold: fc.integer({ min: 1, max: 100 }),
          slowCallRateThreshold: fc.integer({ min: 1, max: 100 }),
        }),
        fc.array(step, { maxLength: 120 }),
        async (config, steps) => {
          const minimumCalls = Math.min(config.minimumCalls, config.size);
          const { breaker, clock } = createTestBreaker({
            window: { type: 'count', size: config.size },
            minimumCalls,
            failureRateThreshold: config.failureRateThreshold,
            slowCallThreshold: SLOW_MS,
            slowCallRateThreshold: config.slowCallRateThreshold,
          });
          let recent: Array<{ failed: boolean; slow: boolean }> = [];
          const expected = { success: 0, failure: 0, slow: 0 };
          const listeners: Array<{ dispose: Disposer; heard: number; owed: number }> = [];
          for (const current of steps) {
            if (current.kind === 'listen') {
              const listener = { dispose: (() => undefined) as Disposer, heard: 0, owed: 0 };
              listener.dispose = breaker.on('success', () => (listener.heard += 1));
              listeners.push(listener);
              continue;
            }
            if (current.kind === 'stopListening') {
              listeners.shift()?.dispose();
              continue;
            }
            await run(breaker, takes(clock, current.slow ? SLOW_MS + 1 : 0, current.failed ? 'error' : 'ok'));
            expected[current.failed ? 'failure' : 'success'] += 1;
            if (current.slow) expected.slow += 1;
            if (!current.failed) for (const listener of listeners) listener.owed += 1;
            recent = [...recent, { failed: current.failed, slow: current.slow }].slice(-config.size);

            const calls = recent.length;
            const failureRate = (recent.filter((call) => call.failed).length / calls) * 100;
            const slowCallRate = (recent.filter((call) => call.slow).length / calls) * 100;
            const trips = calls >= minimumCalls && (failureRate >= config.failureRateThreshold || slowCallRate >= config.slowCallRateThreshold);
            expect(breaker.state).toBe(trips ? 'OPEN' : 'CLOSED');
            if (trips) {
              breaker.reset();
              recent = [];
            }
            expect(breaker.stats().window).toEqual(trips ? { calls: 0, failureRate: 0, slowCallRate: 0 } : { calls, failureRate, slowCallRate });
          }
          const { counters, latency } = breaker.stats();
          expect(counters).toMatchObject({ ...expected, timeout: 0, rejected: 0 });
          expect(latency.counts.reduce((sum, count) => sum + count, 0)).toBe(expected.success + expected.failure);
          expect(latency.sumMs).toBe(expected.slow * (SLOW_MS + 1));
          for (const listener of listeners) expect(listener.heard).toBe(listener.owed);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on the default clock, times a call from the turn it started in, not from an earlier turn', async () => {
    const breaker = createCircuitBreaker({ name: 'payments' });
    await breaker.execute(succeed);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await breaker.execute(succeed);
    const { latency, counters } = breaker.stats();
    expect(counters.success).toBe(2);
    // Both calls settled in the turn they started in: 0 ms each, not 30 ms for the second.
    expect(latency.counts).toEqual([2]);
    expect(latency.sumMs).toBe(0);
  });

  it('on the default clock, times a call that spans turns', async () => {
    const breaker = createCircuitBreaker({ name: 'payments' });
    await breaker.execute(() => new Promise((resolve) => setTimeout(resolve, 30)));
    expect(breaker.stats().latency.sumMs).toBeGreaterThanOrEqual(25);
  });

  it('on the default clock, does not let a call admitted before a trip and reset in the same turn steer the fresh window', async () => {
    const breaker = createCircuitBreaker({ name: 'payments', minimumCalls: 2, window: { type: 'count', size: 2 } });
    const stale = deferred();
    const staleCall = breaker.execute(stale.call).catch(() => 'failed');
    await run(breaker, fail, 2);
    expect(breaker.state).toBe('OPEN');
    breaker.reset();
    const fresh = deferred();
    const freshCall = breaker.execute(fresh.call);
    stale.reject(new Error('late'));
    await staleCall;
    expect(breaker.stats().window.calls).toBe(0);
    fresh.resolve('ok');
    await freshCall;
    expect(breaker.stats().window).toEqual({ calls: 1, failureRate: 0, slowCallRate: 0 });
    expect(breaker.stats().counters).toMatchObject({ success: 1, failure: 3 });
  });

  it('a success listener added to a breaker whose clean window absorbs successes hears every later success', async () => {
    const breaker = createCircuitBreaker({ name: 'payments', window: { type: 'count', size: 3 } });
    await run(breaker, succeed, 5); // full and clean: successes skip the window
    const heard: boolean[] = [];
    const dispose = breaker.on('success', (event) => heard.push(event.slow));
    await run(breaker, succeed, 2);
    dispose();
    await run(breaker, succeed);
    expect(heard).toEqual([false, false]);
    expect(breaker.stats().counters.success).toBe(8);
  });
});
