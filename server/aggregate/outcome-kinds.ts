import type { TOutcomeCounters } from '../../lib/protocol/breaker-report.js';

/** The outcome kinds, in the order every counter array of the aggregate uses. */
export const OUTCOME_KINDS = ['success', 'failure', 'timeout', 'rejected', 'slow', 'fallback'] as const satisfies ReadonlyArray<keyof TOutcomeCounters>;

export const OUTCOME = { success: 0, failure: 1, timeout: 2, rejected: 3, slow: 4, fallback: 5 } as const;
