import { afterEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, isBreakerOpenError, isBreakerTimeoutError } from '../../../sdk/src/index.js';
import { createTestBreaker, deferred, fail, run, succeed, takes } from './helpers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('CLOSED → OPEN', () => {
  it('does not trip with fewer than minimumCalls, however bad', async () => {
    const { breaker } = createTestBreaker({ minimumCalls: 5, window: { type: 'count', size: 10 } });
    await run(breaker, fail, 4);
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.stats().window).toEqual({ calls: 4, failureRate: 100, slowCallRate: 0 });
  });

  it('trips exactly at the failure-rate threshold, not just below it', async () => {
    const below = createTestBreaker({ minimumCalls: 10, failureRateThreshold: 50, window: { type: 'count', size: 10 } });
    await run(below.breaker, succeed, 6);
    await run(below.breaker, fail, 4);
    expect(below.breaker.state).toBe('CLOSED');

    const at = createTestBreaker({ minimumCalls: 10, failureRateThreshold: 50, window: { type: 'count', size: 10 } });
    await run(at.breaker, succeed, 5);
    await run(at.breaker, fail, 5);
    expect(at.breaker.state).toBe('OPEN');
    expect(at.changes).toEqual([expect.objectContaining({ from: 'CLOSED', to: 'OPEN', cause: 'failure_rate', failureRate: 50, slowCallRate: 0, commandId: null })]);
  });

  it('trips when a success brings the window up to minimumCalls', async () => {
    const { breaker, changes } = createTestBreaker({ minimumCalls: 4, failureRateThreshold: 50, window: { type: 'count', size: 10 } });
    await run(breaker, fail, 3);
    await run(breaker, succeed);
    expect(breaker.state).toBe('OPEN');
    expect(changes[0]).toMatchObject({ failureRate: 75 });
  });

  it('counts timeouts as failures of the window', async () => {
    vi.useFakeTimers();
    const { breaker } = createTestBreaker({ minimumCalls: 2, timeout: 100, window: { type: 'count', size: 2 } });
    const never = () => new Promise<string>(() => undefined);
    const first = breaker.execute(never).catch((error: unknown) => error);
    const second = breaker.execute(never).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    expect(isBreakerTimeoutError(await first)).toBe(true);
    expect(isBreakerTimeoutError(await second)).toBe(true);
    expect(breaker.state).toBe('OPEN');
    expect(breaker.stats().counters).toMatchObject({ timeout: 2, failure: 0 });
  });

  it('slides: old failures leave the count window', async () => {
    const { breaker } = createTestBreaker({ minimumCalls: 4, failureRateThreshold: 50, window: { type: 'count', size: 4 } });
    await run(breaker, fail);
    await run(breaker, succeed, 3); // 25 %
    await run(breaker, succeed); // the failure slides out
    expect(breaker.stats().window).toEqual({ calls: 4, failureRate: 0, slowCallRate: 0 });
    await run(breaker, fail, 2);
    expect(breaker.state).toBe('OPEN');
  });

  it('ages seconds out of a time window', async () => {
    const { breaker, clock } = createTestBreaker({ minimumCalls: 3, window: { type: 'time', seconds: 10 } });
    await run(breaker, fail, 2);
    clock.advance(10_000);
    await run(breaker, fail);
    expect(breaker.stats().window.calls).toBe(1);
    expect(breaker.state).toBe('CLOSED');
    clock.advance(1_000);
    await run(breaker, fail, 2);
    expect(breaker.state).toBe('OPEN');
  });

  it('trips on the slow-call rate, with slow successes', async () => {
    const { breaker, clock, changes } = createTestBreaker({ minimumCalls: 4, slowCallThreshold: 100, slowCallRateThreshold: 50, window: { type: 'count', size: 4 } });
    await run(breaker, takes(clock, 100), 2); // exactly the threshold is not slow
    await run(breaker, takes(clock, 101), 1);
    expect(breaker.state).toBe('CLOSED');
    await run(breaker, takes(clock, 250), 1);
    expect(breaker.state).toBe('OPEN');
    expect(changes[0]).toMatchObject({ cause: 'slow_call_rate', slowCallRate: 50, failureRate: 0 });
    expect(breaker.stats().counters).toMatchObject({ success: 4, slow: 2 });
  });

  it('does not count errors that isFailure excludes', async () => {
    class NotFound extends Error {}
    const { breaker } = createTestBreaker({ minimumCalls: 2, window: { type: 'count', size: 2 }, isFailure: (error) => !(error instanceof NotFound) });
    const notFound = async () => {
      throw new NotFound('404');
    };
    await expect(breaker.execute(notFound)).rejects.toBeInstanceOf(NotFound);
    await run(breaker, notFound, 5);
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.stats().counters).toMatchObject({ success: 6, failure: 0 });
  });
});

describe('OPEN', () => {
  it('rejects at once with a BreakerOpenError naming the breaker, without calling', async () => {
    const { breaker } = createTestBreaker({ minimumCalls: 1, window: { type: 'count', size: 1 } });
    await run(breaker, fail);
    const fn = vi.fn(succeed);
    const error: unknown = await breaker.execute(fn).catch((caught: unknown) => caught);
    expect(fn).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(BreakerOpenError);
    expect(isBreakerOpenError(error)).toBe(true);
    expect(error).toMatchObject({ breaker: 'payments', state: 'OPEN' });
    expect(breaker.stats().counters.rejected).toBe(1);
  });

  it('moves to HALF_OPEN once openTimeout has passed, not before', async () => {
    const { breaker, clock, changes } = createTestBreaker({ minimumCalls: 1, openTimeout: 1_000, window: { type: 'count', size: 1 } });
    await run(breaker, fail);
    clock.advance(999);
    expect(breaker.state).toBe('OPEN');
    clock.advance(1);
    expect(breaker.state).toBe('HALF_OPEN');
    expect(changes.map((change) => change.cause)).toEqual(['failure_rate', 'open_timeout_elapsed']);
  });
});

describe('HALF_OPEN', () => {
  async function halfOpen(halfOpenMaxCalls: number) {
    const setup = createTestBreaker({ minimumCalls: 1, openTimeout: 1_000, halfOpenMaxCalls, window: { type: 'count', size: 1 } });
    await run(setup.breaker, fail);
    setup.clock.advance(1_000);
    return setup;
  }

  it('lets halfOpenMaxCalls concurrent trials through and rejects the rest', async () => {
    const { breaker } = await halfOpen(2);
    const first = deferred();
    const second = deferred();
    const trials = [breaker.execute(first.call), breaker.execute(second.call)];
    await expect(breaker.execute(succeed)).rejects.toMatchObject({ state: 'HALF_OPEN' });
    first.resolve('a');
    await trials[0];
    expect(breaker.state).toBe('HALF_OPEN');
    second.resolve('b');
    await trials[1];
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.stats().window.calls).toBe(0); // a fresh window
  });

  it('reopens on the first failed trial and ignores trials that finish after it', async () => {
    const { breaker, changes } = await halfOpen(2);
    const first = deferred();
    const second = deferred();
    const trials = [breaker.execute(first.call).catch(() => 'failed'), breaker.execute(second.call)];
    first.reject(new Error('still down'));
    await trials[0];
    expect(breaker.state).toBe('OPEN');
    second.resolve('late');
    await trials[1];
    expect(breaker.state).toBe('OPEN');
    expect(changes.at(-1)).toMatchObject({ from: 'HALF_OPEN', to: 'OPEN', cause: 'trial_failed', failureRate: 100 });
    expect(breaker.stats().counters).toMatchObject({ success: 1, failure: 2 });
  });

  it('reopens on a slow trial when slow calls are tracked', async () => {
    const setup = createTestBreaker({ minimumCalls: 1, openTimeout: 1_000, slowCallThreshold: 50, window: { type: 'count', size: 1 } });
    await run(setup.breaker, fail);
    setup.clock.advance(1_000);
    await run(setup.breaker, takes(setup.clock, 60));
    expect(setup.breaker.state).toBe('OPEN');
  });
});

describe('open timeout backoff', () => {
  it('grows by the multiplier on each repeated trip up to the cap, and resets on closing', async () => {
    const { breaker, clock } = createTestBreaker({
      minimumCalls: 1,
      openTimeout: 1_000,
      openTimeoutBackoff: { multiplier: 2, maxMs: 5_000 },
      window: { type: 'count', size: 1 },
    });
    await run(breaker, fail);
    const openFor: number[] = [];
    for (let trip = 0; trip < 5; trip++) {
      let waited = 0;
      while (breaker.state === 'OPEN') {
        clock.advance(100);
        waited += 100;
      }
      openFor.push(waited);
      await run(breaker, fail); // the trial fails: open again
    }
    expect(openFor).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    clock.advance(5_000);
    await run(breaker, succeed);
    expect(breaker.state).toBe('CLOSED');
    await run(breaker, fail);
    clock.advance(1_000);
    expect(breaker.state).toBe('HALF_OPEN');
  });
});

describe('overrides', () => {
  async function inState(state: 'CLOSED' | 'OPEN' | 'HALF_OPEN') {
    const setup = createTestBreaker({ minimumCalls: 1, openTimeout: 1_000, window: { type: 'count', size: 1 } });
    if (state !== 'CLOSED') await run(setup.breaker, fail);
    if (state === 'HALF_OPEN') setup.clock.advance(1_000);
    expect(setup.breaker.state).toBe(state);
    return setup;
  }

  for (const from of ['CLOSED', 'OPEN', 'HALF_OPEN'] as const) {
    it(`enters FORCED_OPEN from ${from}, rejects everything, says what it would be, and releases to CLOSED`, async () => {
      const { breaker, changes } = await inState(from);
      breaker.forceOpen({ commandId: 'cmd-1' });
      expect(breaker.state).toBe('FORCED_OPEN');
      expect(breaker.wouldBe).toBe(from);
      await expect(breaker.execute(succeed)).rejects.toMatchObject({ state: 'FORCED_OPEN' });
      expect(changes.at(-1)).toMatchObject({ from, to: 'FORCED_OPEN', cause: 'command', commandId: 'cmd-1', wouldBe: from });
      breaker.release();
      expect(breaker.state).toBe('CLOSED');
      expect(changes.at(-1)).toMatchObject({ from: 'FORCED_OPEN', to: 'CLOSED', cause: 'manual' });
    });

    it(`enters FORCED_CLOSED from ${from}, lets everything through, and releases to CLOSED`, async () => {
      const { breaker } = await inState(from);
      breaker.forceClosed();
      expect(breaker.state).toBe('FORCED_CLOSED');
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      await expect(breaker.execute(succeed)).resolves.toBe('ok');
      breaker.release();
      expect(breaker.state).toBe('CLOSED');
    });
  }

  it('keeps the automatic bookkeeping under FORCED_CLOSED: it would be OPEN', async () => {
    const { breaker, changes } = createTestBreaker({ minimumCalls: 2, window: { type: 'count', size: 2 } });
    breaker.forceClosed();
    await run(breaker, fail, 2);
    expect(breaker.state).toBe('FORCED_CLOSED');
    expect(breaker.wouldBe).toBe('OPEN');
    expect(breaker.stats()).toMatchObject({ state: 'FORCED_CLOSED', wouldBe: 'OPEN', window: { failureRate: 100 } });
    expect(changes).toHaveLength(1); // only the override itself changed the public state
    await run(breaker, fail, 3); // still passes: forced closed
    expect(breaker.stats().counters).toMatchObject({ failure: 5, rejected: 0 });
  });

  it('switches between the forced states directly', async () => {
    const { breaker, changes } = createTestBreaker();
    breaker.forceOpen();
    breaker.forceClosed();
    expect(changes.map((change) => [change.from, change.to])).toEqual([
      ['CLOSED', 'FORCED_OPEN'],
      ['FORCED_OPEN', 'FORCED_CLOSED'],
    ]);
  });

  it('ends an override at its expiry', async () => {
    const { breaker, clock, changes } = createTestBreaker();
    breaker.forceOpen({ expiresAt: clock.now() + 5_000 });
    clock.advance(4_999);
    expect(breaker.state).toBe('FORCED_OPEN');
    clock.advance(1);
    await expect(breaker.execute(succeed)).resolves.toBe('ok');
    expect(changes.at(-1)).toMatchObject({ from: 'FORCED_OPEN', to: 'CLOSED', cause: 'override_expired' });
  });

  it('release without an override does nothing; reset always starts a fresh window', async () => {
    const { breaker, changes } = createTestBreaker({ minimumCalls: 3, window: { type: 'count', size: 3 } });
    await run(breaker, fail, 2);
    breaker.release();
    expect(breaker.stats().window.calls).toBe(2);
    breaker.reset();
    expect(breaker.stats().window.calls).toBe(0);
    expect(changes).toHaveLength(0);
  });

  it('reset clears an override and reopens nothing', async () => {
    const { breaker } = createTestBreaker({ minimumCalls: 1, window: { type: 'count', size: 1 } });
    await run(breaker, fail);
    breaker.forceOpen();
    breaker.reset({ commandId: 'cmd-9' });
    expect(breaker.state).toBe('CLOSED');
    expect(breaker.wouldBe).toBe('CLOSED');
  });
});

describe('timeouts', () => {
  it('aborts the call signal with the timeout error and counts a timeout', async () => {
    vi.useFakeTimers();
    const { breaker } = createTestBreaker({ timeout: 50 });
    let seen: AbortSignal | undefined;
    const call = breaker.execute((signal) => {
      seen = signal;
      return new Promise<string>(() => undefined);
    });
    const outcome = call.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(50);
    const error = await outcome;
    expect(isBreakerTimeoutError(error)).toBe(true);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
    expect(breaker.stats().counters).toMatchObject({ timeout: 1, success: 0, failure: 0 });
  });

  it('does not time out a call that settles in time', async () => {
    vi.useFakeTimers();
    const { breaker } = createTestBreaker({ timeout: 50 });
    const call = breaker.execute(() => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 49)));
    await vi.advanceTimersByTimeAsync(49);
    await expect(call).resolves.toBe('ok');
    await vi.advanceTimersByTimeAsync(100);
    expect(breaker.stats().counters).toMatchObject({ timeout: 0, success: 1 });
  });
});

describe('fallback', () => {
  it('answers rejected, failed and timed-out calls and counts each use', async () => {
    const reasons: string[] = [];
    const { breaker } = createTestBreaker<string>({
      minimumCalls: 1,
      window: { type: 'count', size: 1 },
      fallback: (_error, reason) => {
        reasons.push(reason);
        return 'cached';
      },
    });
    await expect(breaker.execute(fail)).resolves.toBe('cached');
    await expect(breaker.execute(succeed)).resolves.toBe('cached');
    expect(reasons).toEqual(['failure', 'rejected']);
    expect(breaker.stats().counters).toMatchObject({ failure: 1, rejected: 1, fallback: 2 });
  });
});

describe('calls and events', () => {
  it('wrap() protects every call of the wrapped function', async () => {
    const { breaker } = createTestBreaker();
    const add = breaker.wrap(async (a: number, b: number) => a + b);
    await expect(add(2, 3)).resolves.toBe(5);
    expect(breaker.stats().counters.success).toBe(1);
  });

  it('counts a synchronous throw and a plain return', async () => {
    const { breaker } = createTestBreaker();
    await expect(
      breaker.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    await expect(breaker.execute(() => 7)).resolves.toBe(7);
    expect(breaker.stats().counters).toMatchObject({ success: 1, failure: 1 });
  });

  it('event subscriptions return a disposer', async () => {
    const { breaker } = createTestBreaker();
    const seen: string[] = [];
    const dispose = breaker.on('success', (event) => seen.push(event.breaker));
    await run(breaker, succeed);
    dispose();
    dispose();
    await run(breaker, succeed);
    expect(seen).toEqual(['payments']);
  });

  it('a throwing listener fails neither the call nor the other listeners', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const { breaker } = createTestBreaker();
    const seen: number[] = [];
    breaker.on('failure', () => {
      throw new Error('listener bug');
    });
    breaker.on('failure', (event) => seen.push(event.durationMs));
    await expect(breaker.execute(fail)).rejects.toThrow('boom');
    expect(seen).toHaveLength(1);
    expect(warning).toHaveBeenCalledOnce();
    warning.mockRestore();
  });

  it('recognises a BreakerOpenError from another copy of the package by its brand', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@breaker-panel/sdk:BreakerOpenError')]: true });
    expect(isBreakerOpenError(foreign)).toBe(true);
    expect(isBreakerOpenError(new Error('x'))).toBe(false);
    expect(isBreakerOpenError(null)).toBe(false);
  });

  it('rejects impossible options at construction', () => {
    expect(() => createTestBreaker({ minimumCalls: 20, window: { type: 'count', size: 10 } })).toThrow(RangeError);
    expect(() => createTestBreaker({ failureRateThreshold: 0 })).toThrow(RangeError);
  });

  it('times each call from its own start when calls of one clock reading settle at different times', async () => {
    const { breaker, clock } = createTestBreaker();
    const early = deferred();
    const late = deferred();
    const calls = [breaker.execute(early.call), breaker.execute(late.call).catch(() => 'failed')];
    clock.advance(3);
    early.resolve('a');
    await calls[0];
    clock.advance(5);
    late.reject(new Error('late'));
    await calls[1];
    const { counters, latency } = breaker.stats();
    expect(counters).toMatchObject({ success: 1, failure: 1 });
    expect(latency.sumMs).toBe(11); // 3 + 8, both measured from the shared start
  });

  it('does not let a call admitted before a trip and reset steer the fresh window, even at the same clock reading', async () => {
    const { breaker } = createTestBreaker({ minimumCalls: 2, window: { type: 'count', size: 2 } });
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

  it('records latencies in the fixed buckets', async () => {
    const { breaker, clock } = createTestBreaker();
    await run(breaker, takes(clock, 1));
    await run(breaker, takes(clock, 3));
    const { latency } = breaker.stats();
    expect(latency.sumMs).toBe(4);
    expect(latency.counts[0]).toBe(1); // ≤ 1 ms
    expect(latency.counts[7]).toBe(1); // 2^(6/4) ≈ 2.83 < 3 ≤ 2^(7/4) ≈ 3.36
    expect(latency.counts).toHaveLength(8); // trailing zeros trimmed
  });
});
