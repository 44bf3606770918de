import { z } from 'zod';
import { ZBreakerInstance, type TBreakerInstance } from '../../lib/api/breaker-detail.js';
import { ZReporterClientKind } from '../../lib/api/reporter-client.js';
import { ZBreakerConfig } from '../../lib/protocol/breaker-config.js';
import { ZBreakerState } from '../../lib/protocol/breaker-state.js';
import { countColumn } from '../../lib/protocol/number-columns.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import { COUNT_WIDTH } from '../aggregate/counter-deltas';

/** What a remote server's part of one breaker is in memory. */
export interface RemotePart {
  partial: BreakerPartial;
  rows: TBreakerInstance[];
  demo: boolean;
}

const ZPartial = z.object({
  id: z.uuid(),
  service: z.string(),
  name: z.string(),
  byState: z.record(ZBreakerState, z.number().int().min(0)),
  wouldBe: ZBreakerState.nullable(),
  total: z.number().int().min(0),
  stale: z.number().int().min(0),
  state: ZBreakerState.nullable(),
  stateSince: z.number().nullable(),
  lastReportAt: z.number().nullable(),
  window: z.object({ row: countColumn(COUNT_WIDTH), start: z.number() }),
  clients: z.object({ kinds: z.array(ZReporterClientKind), httpInstances: z.number().int().min(0) }),
});

/**
 * What an instance's reports move, as a tuple: state, would-be state, stale,
 * last report, state since, and the window (calls, failure rate, slow-call
 * rate) or nulls. Most rows in a batch are only this.
 */
export const ZRowMoves = z.tuple([
  ZBreakerState,
  ZBreakerState.nullable(),
  z.boolean(),
  z.number().nullable(),
  z.number().nullable(),
  z.number().nullable(),
  z.number().nullable(),
  z.number().nullable(),
]);
export type TRowMoves = z.infer<typeof ZRowMoves>;

/** What changes only with a registration: sent with an instance's first row after a whole batch, and when it changes. */
export const ZRowSetting = ZBreakerInstance.pick({ name: true, labels: true, client: true }).extend({ config: z.number().int().min(0).nullable() });
export type TRowSetting = z.infer<typeof ZRowSetting>;

const ZWireRow = z.object({ instanceId: z.string(), moves: ZRowMoves, setting: ZRowSetting.optional() });

/**
 * A server's part of one breaker on the wire: its partial, the rows of its
 * instances that changed since the server's previous batch, and the ids of
 * every instance it holds when that set changed. Each row's config is an
 * index into `configs` (a service's instances nearly always share one).
 */
export const ZWirePart = z.object({
  partial: ZPartial,
  demo: z.boolean(),
  held: z.array(z.string()).optional(),
  configs: z.array(ZBreakerConfig),
  rows: z.array(ZWireRow),
});
export type TWirePart = z.infer<typeof ZWirePart>;

/**
 * One server's batch of parts: every part it holds (`whole`, which replaces
 * what a reader had of that server), or those that changed since its
 * previous batch. A part of null: the server holds none of the breaker's
 * instances any more. A batch that does not parse (another version
 * mid-upgrade) is logged and left out; the next whole batch heals the gap.
 */
export const ZPartBatch = z.object({ parts: z.array(z.object({ id: z.uuid(), part: ZWirePart.nullable() })) });
export type TPartBatch = z.infer<typeof ZPartBatch>;
