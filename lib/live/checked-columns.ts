import { z } from 'zod';

/**
 * An array whose entries are checked in one plain loop rather than by a
 * schema per entry: the browser runs zod interpreted (instrumentation-client.ts),
 * where a schema per entry of 10,000 cost whole frames (docs/performance.md,
 * "Dashboard (UI)"). Errors still name the failing index.
 */
export function checkedColumn<T>(isValid: (value: unknown) => value is T, expected: string) {
  return z
    .custom<T[]>((value) => Array.isArray(value), { message: 'expected an array' })
    .superRefine((values, context) => {
      for (let i = 0; i < values.length; i++) {
        if (!isValid(values[i])) return context.addIssue({ code: 'custom', path: [i], message: `expected ${expected}` });
      }
    });
}

export const isText = (value: unknown): value is string => typeof value === 'string';
export const isNonNegative = (value: unknown): value is number => Number.isFinite(value) && (value as number) >= 0;
export const isNumberOrNull = (value: unknown): value is number | null => value === null || Number.isFinite(value);
