import Opossum from 'opossum';
import { describe, expect, it } from 'vitest';
import { connectPanel, createCircuitBreaker, instrumentOpossum } from '../../../sdk/src/index.js';

// Names the panel refuses (ZName): Postgres cannot store a lone surrogate or a NUL.
const UNSTORABLE_NAMES: Array<[string, string]> = [
  ['a lone high surrogate', 'p\uD800'],
  ['a lone low surrogate', '\uDC00payments'],
  ['a NUL', 'pay\u0000ments'],
  ['nothing', ''],
  ['201 characters', 'x'.repeat(201)],
];

describe('breaker names the panel would refuse', () => {
  it.each(UNSTORABLE_NAMES)('createCircuitBreaker throws at construction for %s', (_, name) => {
    expect(() => createCircuitBreaker({ name })).toThrow(new RangeError('CircuitBreaker: name must be 1–200 characters of well-formed Unicode text without NUL characters'));
  });

  it('accepts names with whole surrogate pairs and any other text', () => {
    expect(createCircuitBreaker({ name: 'payments-😀' }).name).toBe('payments-😀');
    expect(createCircuitBreaker({ name: 'zahlungsdienst-ü' }).name).toBe('zahlungsdienst-ü');
  });

  it('instrumentOpossum throws at construction for a name the panel would refuse', () => {
    const breaker = new Opossum(async () => 'ok', { name: 'inventory' });
    expect(() => instrumentOpossum(breaker, { name: 'inv\uD800' })).toThrow(/instrumentOpossum: name must be 1–200 characters of well-formed Unicode text/);
    expect(instrumentOpossum(breaker).name).toBe('inventory');
    breaker.shutdown();
  });

  it('connectPanel throws for a service or instance name the panel would refuse', () => {
    const base = { url: 'http://127.0.0.1:1', apiKey: 'bp_x' };
    expect(() => connectPanel({ ...base, service: 'check\uD800out' })).toThrow(/connectPanel: service must be/);
    expect(() => connectPanel({ ...base, service: 'checkout', instance: 'web\u00001' })).toThrow(/connectPanel: instance must be/);
  });
});
