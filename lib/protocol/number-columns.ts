import { z } from 'zod';

/**
 * Arrays of numbers checked in one loop. A compact report carries a few
 * thousand numbers, and a schema per element (`z.array(z.number().int())`)
 * cost about 80 ns each, 30 times a loop's (docs/performance.md, "Ingest"):
 * most of a report's handling. Errors still name the failing index.
 */
function numberColumn(max: number, isValid: (value: unknown) => boolean, expected: string) {
  return z
    .custom<number[]>((value) => Array.isArray(value), { message: 'expected an array' })
    .superRefine((values, context) => {
      if (values.length > max) return context.addIssue({ code: 'custom', message: `expected at most ${max} entries` });
      for (let i = 0; i < values.length; i++) {
        if (!isValid(values[i])) return context.addIssue({ code: 'custom', path: [i], message: `expected ${expected}` });
      }
    });
}

const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

/** Whole numbers ≥ 0 (counts), at most `max` of them. */
export const countColumn = (max: number) => numberColumn(max, isCount, 'a whole number ≥ 0');

/** Percentages from 0 to 100, at most `max` of them. */
export const rateColumn = (max: number) => numberColumn(max, (value) => typeof value === 'number' && value >= 0 && value <= 100, 'a number from 0 to 100');

/** Codes from 0 to `top`, at most `max` of them. */
export const codeColumn = (max: number, top: number) => numberColumn(max, (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= top, `a whole number from 0 to ${top}`);

/** Arrays of counts (histograms), at most `max` arrays of at most `width` counts. */
export function countRows(max: number, width: number) {
  return z
    .custom<number[][]>((value) => Array.isArray(value), { message: 'expected an array' })
    .superRefine((rows, context) => {
      if (rows.length > max) return context.addIssue({ code: 'custom', message: `expected at most ${max} entries` });
      for (let r = 0; r < rows.length; r++) {
        const row: unknown = rows[r];
        if (!Array.isArray(row)) return context.addIssue({ code: 'custom', path: [r], message: 'expected an array' });
        if (row.length > width) return context.addIssue({ code: 'custom', path: [r], message: `expected at most ${width} entries` });
        for (let i = 0; i < row.length; i++) {
          if (!isCount(row[i])) return context.addIssue({ code: 'custom', path: [r, i], message: 'expected a whole number ≥ 0' });
        }
      }
    });
}
