import { z } from 'zod';
import { ZEpochMs, ZText } from './storable.js';
import { ZBreakerState } from './breaker-state.js';
import { ZInstanceRef, ZLabels, ZName } from './identity.js';
import { ZProtocolVersion } from './version.js';

/**
 * What an operator asks of a breaker: `trip` → FORCED_OPEN, `force_closed` →
 * FORCED_CLOSED (both until released or expired), `reset` → CLOSED with a fresh
 * window (clears any override), `release` → removes the override and resumes
 * automatic behaviour from CLOSED (no-op without an override).
 */
export const ZCommandAction = z.enum(['trip', 'force_closed', 'reset', 'release']);

/** An operator action. */
export type TCommandAction = z.infer<typeof ZCommandAction>;

/** Which instances of the service a command is for. */
export const ZCommandScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('service') }),
  z.object({ kind: z.literal('instance'), instanceId: ZName }),
  /** Instances whose labels include every one of these. */
  z.object({ kind: z.literal('labels'), labels: ZLabels }),
]);

/** Which instances of the service a command is for. */
export type TCommandScope = z.infer<typeof ZCommandScope>;

/**
 * `command:apply` (server → instance) — an operator action to apply to one
 * breaker. An instance applies a given `id` at most once and acknowledges it
 * every time it is received (the server re-sends active overrides on every
 * registration).
 */
export const ZCommand = z.object({
  protocolVersion: ZProtocolVersion,
  id: ZText.min(1).max(100),
  breaker: ZName,
  action: ZCommandAction,
  /** Epoch ms after which the override ends on its own; null = until released. Ignored for reset/release. */
  expiresAt: ZEpochMs.nullable(),
  scope: ZCommandScope,
  reason: ZText.max(1000),
  issuedBy: ZText.max(200),
  issuedAt: ZEpochMs,
});

/** `command:apply` payload. */
export type TCommand = z.infer<typeof ZCommand>;

/** Why a command could not be applied. */
export const ZCommandFailureReason = z.enum(['unknown_breaker', 'out_of_scope', 'expired', 'invalid_command', 'apply_failed']);

/** Why a command could not be applied. */
export type TCommandFailureReason = z.infer<typeof ZCommandFailureReason>;

/**
 * `command:ack` (instance → server) — the outcome of a command, sent once per
 * receipt; `duplicate` is true when the id was applied before and this receipt
 * changed nothing.
 */
export const ZCommandAck = ZInstanceRef.extend({
  commandId: ZText.min(1).max(100),
  breaker: ZName,
  status: z.enum(['applied', 'failed']),
  /** The breaker's state after applying; null when the breaker is unknown. */
  state: ZBreakerState.nullable(),
  reason: ZCommandFailureReason.nullable(),
  duplicate: z.boolean(),
  at: ZEpochMs,
});

/** `command:ack` payload. */
export type TCommandAck = z.infer<typeof ZCommandAck>;
