import { describe, expect, it } from 'vitest';
import { isRefusedData } from '../../../server/jobs/refused-rows';

const databaseError = (code: string) => Object.assign(new Error(`error ${code}`), { code });

describe('isRefusedData', () => {
  it('is true for what writing the same rows again would fail on again', () => {
    expect(isRefusedData(databaseError('22P02'))).toBe(true); // malformed array literal
    expect(isRefusedData(databaseError('22003'))).toBe(true); // numeric value out of range
    expect(isRefusedData(databaseError('23502'))).toBe(true); // null in a NOT NULL column
    expect(isRefusedData(databaseError('23503'))).toBe(true); // foreign key: a breaker deleted meanwhile
    expect(isRefusedData(new RangeError('Invalid time value'))).toBe(true);
  });

  it('is false for what may pass on a later try', () => {
    expect(isRefusedData(databaseError('08006'))).toBe(false); // connection failure
    expect(isRefusedData(databaseError('57P01'))).toBe(false); // admin shutdown
    expect(isRefusedData(databaseError('40P01'))).toBe(false); // deadlock
    expect(isRefusedData(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
    expect(isRefusedData(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRefusedData(null)).toBe(false);
  });
});
