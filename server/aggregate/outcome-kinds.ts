import { COUNTER_ORDER } from '../../lib/protocol/compact-report.js';

/** The outcome kinds, in the order every counter array of the aggregate uses: the compact report's. */
export const OUTCOME_KINDS = COUNTER_ORDER;

export const OUTCOME = { success: 0, failure: 1, timeout: 2, rejected: 3, slow: 4, fallback: 5 } as const;
