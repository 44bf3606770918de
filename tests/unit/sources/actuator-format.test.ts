import { describe, expect, it } from 'vitest';
import { parseCircuitBreakers, parseEvents, parseHealthBreakers, parseJavaTime, parseRate, parseStateTransition } from '../../../server/sources/actuator/actuator-format';

describe('actuator formats (COMPAT.md §3)', () => {
  it('reads rates with Java float formatting and the -1 sentinel', () => {
    expect(parseRate('62.5%')).toBe(62.5);
    expect(parseRate('33.333336%')).toBeCloseTo(33.333336);
    expect(parseRate('1.0E-4%')).toBeCloseTo(0.0001);
    expect(parseRate('-1.0%')).toBeNull();
    expect(parseRate('n/a')).toBeNull();
    expect(parseRate(undefined)).toBeNull();
  });

  it('reads Java ZonedDateTime text in its variants', () => {
    expect(parseJavaTime('2025-03-04T10:15:30.120455+01:00[Europe/Paris]')).toBe(Date.parse('2025-03-04T09:15:30.120Z'));
    expect(parseJavaTime('2025-03-04T10:15+01:00[Europe/Paris]')).toBe(Date.parse('2025-03-04T09:15:00.000Z'));
    expect(parseJavaTime('2025-03-04T10:15:30Z[UTC]')).toBe(Date.parse('2025-03-04T10:15:30.000Z'));
    expect(parseJavaTime('2025-03-04T10:15:30.123456789Z')).toBe(Date.parse('2025-03-04T10:15:30.123Z'));
    expect(parseJavaTime('yesterday')).toBeNaN();
  });

  it('splits transitions on _TO_', () => {
    expect(parseStateTransition('CLOSED_TO_FORCED_OPEN')).toEqual({ from: 'CLOSED', to: 'FORCED_OPEN' });
    expect(parseStateTransition('HALF_OPEN_TO_CLOSED')).toEqual({ from: 'HALF_OPEN', to: 'CLOSED' });
    expect(parseStateTransition('CLOSED_TO_SIDEWAYS')).toBeNull();
  });

  it('accepts the R4j 2.x map and the 1.x name list, and names what is wrong otherwise', () => {
    const map = parseCircuitBreakers({
      circuitBreakers: { inventory: { failureRate: '62.5%', slowCallRate: '0.0%', bufferedCalls: 16, failedCalls: 10, slowCalls: 0, slowFailedCalls: 0, notPermittedCalls: 42, state: 'OPEN' } },
    });
    expect(map).toEqual({
      kind: 'details',
      breakers: [{ name: 'inventory', state: 'OPEN', failureRate: 62.5, slowCallRate: 0, bufferedCalls: 16, failedCalls: 10, slowCalls: 0, notPermittedCalls: 42 }],
    });
    expect(parseCircuitBreakers({ circuitBreakers: ['inventory', 'pricing'] })).toEqual({ kind: 'names', names: ['inventory', 'pricing'] });
    expect(parseCircuitBreakers({ status: 'UP' }).kind).toBe('invalid');
    expect(parseCircuitBreakers({ circuitBreakers: { x: { state: 'SIDEWAYS' } } })).toMatchObject({ kind: 'invalid', message: expect.stringContaining('x.state') });
  });

  it('reads breaker states from the health details (R4j 1.x)', () => {
    const breakers = parseHealthBreakers({
      status: 'UP',
      components: {
        circuitBreakers: { status: 'UNKNOWN', details: { inventory: { status: 'UNKNOWN', details: { failureRate: '-1.0%', bufferedCalls: 0, notPermittedCalls: 7, state: 'FORCED_OPEN' } } } },
      },
    });
    expect(breakers).toEqual([{ name: 'inventory', state: 'FORCED_OPEN', failureRate: null, slowCallRate: null, bufferedCalls: 0, failedCalls: 0, slowCalls: 0, notPermittedCalls: 7 }]);
    expect(parseHealthBreakers({ status: 'UP' })).toBeNull();
  });

  it('reads events with null or missing fields, and skips unreadable ones', () => {
    const parsed = parseEvents({
      circuitBreakerEvents: [
        {
          circuitBreakerName: 'inventory',
          type: 'ERROR',
          creationTime: '2025-03-04T10:15:30.120455+01:00[Europe/Paris]',
          errorMessage: 'java.net.ConnectException: refused',
          durationInMs: 12,
          stateTransition: null,
        },
        { circuitBreakerName: 'inventory', type: 'STATE_TRANSITION', creationTime: '2025-03-04T10:15:30.121903+01:00[Europe/Paris]', stateTransition: 'CLOSED_TO_OPEN' },
        { circuitBreakerName: 'inventory', type: 'SUCCESS', creationTime: 'not a time' },
        'garbage',
      ],
    });
    expect(parsed!.skipped).toBe(2);
    expect(parsed!.events.map((event) => [event.type, event.durationMs, event.transition])).toEqual([
      ['ERROR', 12, null],
      ['STATE_TRANSITION', null, { from: 'CLOSED', to: 'OPEN' }],
    ]);
    expect(parseEvents({ nope: [] })).toBeNull();
  });
});
