import v8 from 'node:v8';

/**
 * How much V8 lets the old generation grow past what its last full
 * collection kept before it starts the next one. Left to itself, V8 picks up
 * to 4× when collecting is cheap next to allocating, as it is for a server
 * that keeps a large, steady live set (the aggregate: about 135 MB at
 * 100,000 breakers tracked) and makes short-lived garbage at a high rate.
 * There it let the heap reach 310 MB before collecting, and peak RSS reached
 * 613 MB. At 50% the heap is collected at about 200 MB: peak RSS 470–482 MB,
 * with a full collection every 6 to 12 s at 100,000 breaker-reports/s.
 */
export const OLD_GENERATION_GROWTH_PERCENT = 50;

/** Applies OLD_GENERATION_GROWTH_PERCENT to this process; V8 reads it whenever it sets the next limit, so it holds from the next collection on. */
export function capHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`);
}
