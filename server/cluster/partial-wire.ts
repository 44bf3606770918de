import { z } from 'zod';
import { ZBreakerInstance, type TBreakerInstance } from '../../lib/api/breaker-detail.js';
import { ZReporterClientKind } from '../../lib/api/reporter-client.js';
import { ZBreakerConfig, type TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import { ZBreakerState } from '../../lib/protocol/breaker-state.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import { COUNT_WIDTH, countRow } from '../aggregate/counter-deltas';

/**
 * A server's part of one breaker as it is stored in cluster_partials for the
 * others: the partial (counts, states, recent counts as far as they are
 * used) and the rows of the instances it holds, each row's config as an
 * index into `configs` (a service's instances nearly always share one, and
 * it was half of a row's bytes). A body that does not parse (another
 * version mid-upgrade) is logged and left out.
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
  configs: z.array(ZBreakerConfig),
  rows: z.array(ZBreakerInstance.omit({ config: true }).extend({ config: z.number().int().min(0).nullable() })),
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
  const configs: TBreakerConfig[] = [];
  const indexes = new Map<string, number>();
  const indexOf = (config: TBreakerConfig | null) => {
    if (!config) return null;
    const key = JSON.stringify(config);
    let index = indexes.get(key);
    if (index === undefined) indexes.set(key, (index = configs.push(config) - 1));
    return index;
  };
  return {
    partial: { ...partial, window: { row: Array.from(window.row.subarray(0, window.width)), start: window.start } },
    demo,
    configs,
    rows: rows.map((row) => ({ ...row, config: indexOf(row.config) })),
  };
}

export function fromBody(body: TPartialBody): RemotePart {
  const row = countRow();
  row.set(body.partial.window.row);
  return {
    partial: { ...body.partial, window: { row, width: body.partial.window.row.length, start: body.partial.window.start } },
    rows: body.rows.map((row) => ({ ...row, config: row.config === null ? null : (body.configs[row.config] ?? null) })),
    demo: body.demo,
  };
}
