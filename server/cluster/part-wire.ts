import { z } from 'zod';
import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TReporterClientKind, TReporterTransport } from '../../lib/api/reporter-client.js';
import { ZBreakerConfig, type TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TLabels } from '../../lib/protocol/identity.js';
import type { BreakerPartial } from '../aggregate/breaker-views';

/** What a remote server's part of one breaker is in memory; its rows in no particular order (a merged view sorts them). */
export interface RemotePart {
  partial: BreakerPartial;
  rows: readonly TBreakerInstance[];
  demo: boolean;
}

/**
 * The version of the batches' format. Servers of two versions meet during a
 * rolling upgrade: a batch of another format is logged and left out, and
 * the writer's next whole batch of a format the reader knows heals the gap.
 */
export const PART_FORMAT = 2;

/**
 * One server's batch of parts: every part it holds (`whole`, which replaces
 * what a reader had of that server), or those that changed since its
 * previous batch, and the configs their rows' settings name by index (each
 * once: most instances of a service share one). The parts themselves are
 * positional arrays (TWirePart), checked one by one by part-check.ts: a part
 * that is not understood is logged and left out.
 */
export const ZPartBatch = z.object({
  format: z.literal(PART_FORMAT),
  configs: z.array(ZBreakerConfig),
  parts: z.custom<unknown[]>((value) => Array.isArray(value), { message: 'expected an array of parts' }),
});
export type TPartBatch = { format: typeof PART_FORMAT; configs: TBreakerConfig[]; parts: TWireEntry[] };

/**
 * What an instance's reports move: state, would-be state, stale, last
 * report, state since, and the window (calls, failure rate, slow-call rate)
 * or nulls. Most rows in a batch are only this, after the instance's id.
 */
export type TWireMoves = [
  state: TBreakerState,
  wouldBe: TBreakerState | null,
  stale: boolean,
  lastReportAt: number | null,
  stateSince: number | null,
  calls: number | null,
  failureRate: number | null,
  slowCallRate: number | null,
];

/** What changes only with a registration: sent with an instance's first row after a whole batch, and when it changes. `config` indexes the batch's configs. */
export type TWireSetting = [name: string, labels: TLabels, config: number | null, kind: TReporterClientKind, sdk: string | null, transport: TReporterTransport | null, readOnly: boolean];

/** One instance row: its id, its moves, and its setting when that is new to the readers. */
export type TWireRow = [instanceId: string, ...moves: TWireMoves, setting?: TWireSetting];

/** An instance row whose state, would-be state, stale flag and state since stayed: its id, last report and window (most rows of a batch). */
export type TWireReport = [instanceId: string, lastReportAt: number | null, calls: number | null, failureRate: number | null, slowCallRate: number | null];

/**
 * A partial's counts: by state (ZBreakerState's order), the worst would-be
 * state, total, stale, state, state since, last report, the recent window
 * (packWindow), the client kinds and how many instances reach the server
 * over HTTP.
 */
export type TWirePartial = [
  byState: number[],
  wouldBe: TBreakerState | null,
  total: number,
  stale: number,
  state: TBreakerState | null,
  stateSince: number | null,
  lastReportAt: number | null,
  window: number[],
  kinds: TReporterClientKind[],
  httpInstances: number,
];

/**
 * A server's part of one breaker: its id, whether it is a demo service's,
 * its partial, the rows of its instances that changed since the server's
 * previous batch, the ids of every instance it holds when that set changed
 * (else null), and the service and breaker names when they are new to the
 * readers (else null). `[id]` alone: the server holds none of the breaker's
 * instances any more.
 */
export type TWirePart = [id: string, demo: boolean, partial: TWirePartial, rows: Array<TWireRow | TWireReport>, held: string[] | null, head: [service: string, name: string] | null];
export type TWireEntry = TWirePart | [id: string];
