import { z } from 'zod';
import { ZBreakerInstance, type TBreakerInstance } from '../../lib/api/breaker-detail.js';
import { ZReporterClientKind } from '../../lib/api/reporter-client.js';
import { ZBreakerState } from '../../lib/protocol/breaker-state.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import { COUNT_WIDTH, countRow } from '../aggregate/counter-deltas';

/**
 * A server's part of one breaker as it is stored in cluster_partials for the
 * others: the partial (counts, states, recent counts as far as they are
 * used) and the rows of the instances it holds. A body that does not parse
 * (another version mid-upgrade) is logged and left out.
 */
export const ZPartialBody = z.object({
  partial: z.object({
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
    window: z.object({ row: z.array(z.number()).max(COUNT_WIDTH), start: z.number() }),
    clients: z.object({ kinds: z.array(ZReporterClientKind), httpInstances: z.number().int().min(0) }),
  }),
  demo: z.boolean(),
  rows: z.array(ZBreakerInstance),
});

export type TPartialBody = z.infer<typeof ZPartialBody>;

/** What a remote server's part is in memory. */
export interface RemotePart {
  partial: BreakerPartial;
  rows: TBreakerInstance[];
  demo: boolean;
}

export function toBody(partial: BreakerPartial, rows: TBreakerInstance[], demo: boolean): TPartialBody {
  const { window } = partial;
  return { partial: { ...partial, window: { row: Array.from(window.row.subarray(0, window.width)), start: window.start } }, demo, rows };
}

export function fromBody(body: TPartialBody): RemotePart {
  const row = countRow();
  row.set(body.partial.window.row);
  return {
    partial: { ...body.partial, window: { row, width: body.partial.window.row.length, start: body.partial.window.start } },
    rows: body.rows,
    demo: body.demo,
  };
}
