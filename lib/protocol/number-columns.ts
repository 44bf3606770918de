import { z } from 'zod';

/**
 * Arrays of numbers checked in one loop, one zod check per array. A compact
 * report carries a few thousand numbers: a schema per element
 * (`z.array(z.number().int())`) cost about 80 ns each, 30 times a loop's; a
 * loop calling a predicate per element cost four times one with the check
 * written in it; and `.check()`, which hands the check zod's own payload,
 * allocates nothing where `.superRefine()` made a context per array and
 * report (docs/performance.md, "Where a report's time goes"). Errors still
 * name the failing index.
 */
type Payload = z.core.ParsePayload<unknown>;

/** Adds the issue and ends the check: the report's cross-field checks then read only arrays that passed. */
export function refuse(payload: Payload, message: string, path?: Array<string | number>): void {
  payload.issues.push({ code: 'custom', continue: false, input: payload.value, message, ...(path ? { path } : {}) });
}

function numberColumn(max: number, firstInvalid: (values: readonly unknown[]) => number, expected: string) {
  return z.custom<number[]>().check((payload) => {
    const values = payload.value;
    if (!Array.isArray(values)) return refuse(payload, 'expected an array');
    if (values.length > max) return refuse(payload, `expected at most ${max} entries`);
    const invalid = firstInvalid(values);
    if (invalid >= 0) refuse(payload, `expected ${expected}`, [invalid]);
  });
}

/** The index of the first entry that is not a whole number ≥ 0, or -1. */
function firstNotCount(values: readonly unknown[]): number {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) return i;
  }
  return -1;
}

/** The index of the first entry that is not a number from 0 to 100, or -1. */
function firstNotRate(values: readonly unknown[]): number {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!(typeof value === 'number' && value >= 0 && value <= 100)) return i;
  }
  return -1;
}

/** The index of the first entry that is not a whole number from 0 to `top`, or -1. */
function firstNotCode(values: readonly unknown[], top: number): number {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= top)) return i;
  }
  return -1;
}

/** Whole numbers ≥ 0 (counts), at most `max` of them. */
export const countColumn = (max: number) => numberColumn(max, firstNotCount, 'a whole number ≥ 0');

/** Percentages from 0 to 100, at most `max` of them. */
export const rateColumn = (max: number) => numberColumn(max, firstNotRate, 'a number from 0 to 100');

/** Codes from 0 to `top`, at most `max` of them. */
export const codeColumn = (max: number, top: number) => numberColumn(max, (values) => firstNotCode(values, top), `a whole number from 0 to ${top}`);

/** Arrays of counts (histograms), at most `max` arrays of at most `width` counts. */
export function countRows(max: number, width: number) {
  return z.custom<number[][]>().check((payload) => {
    const rows = payload.value;
    if (!Array.isArray(rows)) return refuse(payload, 'expected an array');
    if (rows.length > max) return refuse(payload, `expected at most ${max} entries`);
    for (let r = 0; r < rows.length; r++) {
      const row: unknown = rows[r];
      if (!Array.isArray(row)) return refuse(payload, 'expected an array', [r]);
      if (row.length > width) return refuse(payload, `expected at most ${width} entries`, [r]);
      const invalid = firstNotCount(row);
      if (invalid >= 0) return refuse(payload, 'expected a whole number ≥ 0', [r, invalid]);
    }
  });
}
