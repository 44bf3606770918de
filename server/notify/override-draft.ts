import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { TOverrideView } from '../../lib/control/operator-action.js';
import type { EventDraft } from './event-draft';

/**
 * The panel's own transition rows (instance null) as events: an override's
 * start (`manual` to a FORCED_ state), its release (`manual` back to CLOSED)
 * and its expiry (`override_expired`). `override` is the one now in force,
 * which the caller reads after the action stored it.
 */
export function overrideDraft(record: TTransitionRecord, override: TOverrideView | null): EventDraft | null {
  const previous = record.from === 'FORCED_OPEN' || record.from === 'FORCED_CLOSED' ? record.from : null;
  if (record.cause === 'override_expired') return { type: 'breaker.override_ended', how: 'expired', previous };
  if (record.cause !== 'manual') return null;
  if (record.to === 'FORCED_OPEN' || record.to === 'FORCED_CLOSED') {
    const current = override?.state === record.to ? override : null;
    return { type: 'breaker.overridden', override: { state: record.to, reason: current?.reason ?? null, by: current?.by ?? null, expiresAt: current?.expiresAt ?? null } };
  }
  if (record.to === 'CLOSED') return { type: 'breaker.override_ended', how: 'released', previous };
  return null;
}
