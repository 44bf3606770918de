import { describe, expect, it } from 'vitest';
import { dependencyOf } from '../../../lib/api/breaker-dependency';

describe('dependencyOf: the dependency a breaker protects, from its name', () => {
  it('is the whole name when the name has no operation suffix', () => {
    expect(dependencyOf('payments-api')).toBe('payments-api');
    expect(dependencyOf('backendA')).toBe('backendA');
    expect(dependencyOf('api.stripe.com')).toBe('api.stripe.com');
  });

  it('cuts an operation after ":", "/" or "#", so breakers per operation share one dependency', () => {
    expect(dependencyOf('payments-api:charge')).toBe('payments-api');
    expect(dependencyOf('payments-api/refunds')).toBe('payments-api');
    expect(dependencyOf('payments-api#eu')).toBe('payments-api');
  });

  it('reads a URL-like name for its host, without the port', () => {
    expect(dependencyOf('https://api.stripe.com:443/v1/charges')).toBe('api.stripe.com');
    expect(dependencyOf('redis://cache-1:6379')).toBe('cache-1');
  });

  it('trims blanks and never returns an empty name', () => {
    expect(dependencyOf('  payments-api  ')).toBe('payments-api');
    expect(dependencyOf(':odd')).toBe(':odd');
  });
});
