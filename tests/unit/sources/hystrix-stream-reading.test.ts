import { describe, expect, it } from 'vitest';
import { readHystrixCommand, type HystrixRollingCounts } from '../../../server/sources/hystrix/hystrix-command';
import { hystrixState } from '../../../server/sources/hystrix/hystrix-state';
import { RollingWindowTotals } from '../../../server/sources/hystrix/rolling-window-totals';
import { SseReader } from '../../../server/sources/hystrix/sse-reader';

const command = (fields: Record<string, unknown>) => readHystrixCommand(JSON.stringify({ type: 'HystrixCommand', name: 'GetUser', ...fields }))!;
const rolling = (success: number, failure = 0): HystrixRollingCounts => ({ success, failure, timeout: 0, shortCircuited: 0, threadPoolRejected: 0, semaphoreRejected: 0, fallbackSuccess: 0 });

describe('SseReader', () => {
  it('reads data with or without a space, joins multi-line data and skips pings, comments, retry and event lines', () => {
    const reader = new SseReader();
    expect(reader.push('data: {"a":1}\n\nping: \n\n: comment\nretry: 500\nevent: ping\n\ndata:{"b":2}\r\n\r\n')).toEqual(['{"a":1}', '{"b":2}']);
    expect(reader.push('data: [1,\ndata: 2]\n\ndata: \n\n')).toEqual(['[1,\n2]']);
  });

  it('keeps a message split across chunks until it ends', () => {
    const reader = new SseReader();
    expect(reader.push('data: {"na')).toEqual([]);
    expect(reader.push('me":"x"}\n')).toEqual([]);
    expect(reader.push('\n')).toEqual(['{"name":"x"}']);
  });

  it('refuses to hold a line longer than its limit', () => {
    expect(() => new SseReader(16).push('data: ' + 'x'.repeat(32))).toThrow(/longer than 16 bytes/);
  });
});

describe('readHystrixCommand', () => {
  it('coerces strings, "null" and Turbine tallies rather than rejecting them', () => {
    const read = command({
      rollingCountSuccess: '12',
      rollingCountFailure: 'null',
      errorPercentage: '40',
      isCircuitBreakerOpen: { false: 2, true: 1 },
      propertyValue_circuitBreakerForceOpen: 'false',
    });
    expect(read.rolling.success).toBe(12);
    expect(read.rolling.failure).toBe(0);
    expect(read.errorPercentage).toBe(40);
    expect(read.isCircuitBreakerOpen).toBe(true);
    expect(read.forceOpen).toBe(false);
  });

  it('ignores thread pools, collapsers, garbage and nameless commands', () => {
    expect(readHystrixCommand('{"type":"HystrixThreadPool","name":"p"}')).toBeNull();
    expect(readHystrixCommand('{"type":"HystrixCommand"}')).toBeNull();
    expect(readHystrixCommand('not json')).toBeNull();
    expect(readHystrixCommand('[1]')).toBeNull();
    expect(readHystrixCommand('{"type":"HystrixCommand","name":"a\\u0000b"}')).toBeNull();
  });
});

describe('hystrixState', () => {
  it('puts force-open before force-closed, maps a disabled breaker to FORCED_CLOSED and never derives HALF_OPEN', () => {
    expect(hystrixState(command({ propertyValue_circuitBreakerForceOpen: true, propertyValue_circuitBreakerForceClosed: true }))).toBe('FORCED_OPEN');
    expect(hystrixState(command({ propertyValue_circuitBreakerForceClosed: true, isCircuitBreakerOpen: true }))).toBe('FORCED_CLOSED');
    expect(hystrixState(command({ propertyValue_circuitBreakerEnabled: false }))).toBe('FORCED_CLOSED');
    expect(hystrixState(command({ isCircuitBreakerOpen: true }))).toBe('OPEN');
    expect(hystrixState(command({ isCircuitBreakerOpen: false }))).toBe('CLOSED');
  });
});

describe('RollingWindowTotals', () => {
  it('adds the window once per window length, so a call re-sent in twenty snapshots counts once', () => {
    const totals = new RollingWindowTotals();
    // 10 calls in the first window, re-sent every 500 ms; then the window slides down and up again.
    let last = totals.observe(0, 10_000, rolling(10));
    for (let at = 500; at < 10_000; at += 500) last = totals.observe(at, 10_000, rolling(at < 5_000 ? 10 : 4));
    expect(last.success).toBe(10);
    expect(totals.observe(10_000, 10_000, rolling(7, 3))).toMatchObject({ success: 17, failure: 3 });
    expect(totals.observe(10_500, 10_000, rolling(7, 3))).toMatchObject({ success: 17, failure: 3 });
  });

  it('sums rejections of every kind, keeps slow at 0, and starts the window again when the service clock steps back', () => {
    const totals = new RollingWindowTotals();
    expect(totals.observe(50_000, 1_000, { ...rolling(1), shortCircuited: 2, threadPoolRejected: 3, semaphoreRejected: 4, fallbackSuccess: 5 })).toEqual({
      success: 1,
      failure: 0,
      timeout: 0,
      rejected: 9,
      slow: 0,
      fallback: 5,
    });
    expect(totals.observe(40_000, 1_000, rolling(100)).success).toBe(1);
    expect(totals.observe(41_000, 1_000, rolling(100)).success).toBe(101);
  });

  it("takes Hystrix's 10 s default when the stream does not say", () => {
    const totals = new RollingWindowTotals();
    totals.observe(0, null, rolling(1));
    expect(totals.observe(9_999, null, rolling(1)).success).toBe(1);
    expect(totals.observe(10_000, null, rolling(1)).success).toBe(2);
  });
});
