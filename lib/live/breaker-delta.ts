import { z } from 'zod';
import type { TBreakerSummary, TRecentRates } from '../api/breaker-summary';
import { checkedColumn, isNonNegative, isNumberOrNull, isText } from './checked-columns';

const COLUMNS = ['callsPerSecond', 'failureRate', 'slowCallRate', 'rejectedPerSecond', 'p50Ms', 'p90Ms', 'p99Ms', 'lastReportAt'] as const;

/**
 * The breakers of one `breakers:changed` message of which only the rates and
 * last report time moved, as one array per field (entry i of each is breaker
 * `ids[i]`): at 1 Hz reporting nearly every update is one of these, the field
 * names are written once per message rather than once per breaker, and the
 * browser checks the whole message with a few loops.
 */
export const ZRatesChanges = z
  .object({
    ids: checkedColumn(isText, 'a breaker id'),
    callsPerSecond: checkedColumn(isNonNegative, 'a number ≥ 0'),
    failureRate: checkedColumn(isNumberOrNull, 'a number or null'),
    slowCallRate: checkedColumn(isNumberOrNull, 'a number or null'),
    rejectedPerSecond: checkedColumn(isNonNegative, 'a number ≥ 0'),
    p50Ms: checkedColumn(isNumberOrNull, 'a number or null'),
    p90Ms: checkedColumn(isNumberOrNull, 'a number or null'),
    p99Ms: checkedColumn(isNumberOrNull, 'a number or null'),
    lastReportAt: checkedColumn(isNumberOrNull, 'a number or null'),
  })
  .superRefine((changes, context) => {
    const count = changes.ids.length;
    for (const field of COLUMNS) {
      if (changes[field].length !== count) context.addIssue({ code: 'custom', path: [field], message: `expected ${count} entries, one per id` });
    }
  });

/** Rates-only changes of one message, one array per field. */
export type TRatesChanges = z.infer<typeof ZRatesChanges>;

/** Rates changes with no breaker yet; `addRatesChange` fills them. */
export function emptyRatesChanges(): TRatesChanges {
  return { ids: [], callsPerSecond: [], failureRate: [], slowCallRate: [], rejectedPerSecond: [], p50Ms: [], p90Ms: [], p99Ms: [], lastReportAt: [] };
}

/** Appends a breaker's rates and last report time. */
export function addRatesChange(changes: TRatesChanges, id: string, rates: TRecentRates, lastReportAt: number | null): void {
  changes.ids.push(id);
  changes.callsPerSecond.push(rates.callsPerSecond);
  changes.failureRate.push(rates.failureRate);
  changes.slowCallRate.push(rates.slowCallRate);
  changes.rejectedPerSecond.push(rates.rejectedPerSecond);
  changes.p50Ms.push(rates.p50Ms);
  changes.p90Ms.push(rates.p90Ms);
  changes.p99Ms.push(rates.p99Ms);
  changes.lastReportAt.push(lastReportAt);
}

/** The summary with entry `index` of the rates changes applied: a new object, so whatever selected the old one sees the change. */
export function withRatesChange(summary: TBreakerSummary, changes: TRatesChanges, index: number): TBreakerSummary {
  const rates: TRecentRates = {
    callsPerSecond: changes.callsPerSecond[index]!,
    failureRate: changes.failureRate[index] ?? null,
    slowCallRate: changes.slowCallRate[index] ?? null,
    rejectedPerSecond: changes.rejectedPerSecond[index]!,
    p50Ms: changes.p50Ms[index] ?? null,
    p90Ms: changes.p90Ms[index] ?? null,
    p99Ms: changes.p99Ms[index] ?? null,
  };
  return { ...summary, rates, lastReportAt: changes.lastReportAt[index] ?? null };
}
