import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import { ZBreakerState } from '../../lib/protocol/breaker-state.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import type { WindowCounts } from '../aggregate/recent-window';
import type { TWirePart, TWirePartial, TWireReport, TWireRow, TWireSetting } from './part-wire';

/**
 * A window as numbers: start, width, then its counts up to the last one
 * that is not zero, a run of k zeros written -k (a latency histogram is
 * mostly zeros; counts are never negative).
 */
export function packWindow({ row, width, start }: WindowCounts): number[] {
  const packed = [start, width];
  let end = width;
  while (end > 0 && row[end - 1] === 0) end -= 1;
  for (let i = 0; i < end; i++) {
    if (row[i] !== 0 || row[i + 1] !== 0) {
      packed.push(row[i]!);
      continue;
    }
    // A run of zeros ends before `end`: the row's last count there is not zero.
    const from = i;
    while (row[i + 1] === 0) i += 1;
    packed.push(from - i - 1);
  }
  return packed;
}

const packPartial = (partial: BreakerPartial): TWirePartial => [
  ZBreakerState.options.map((state) => partial.byState[state]),
  partial.wouldBe,
  partial.total,
  partial.stale,
  partial.state,
  partial.stateSince,
  partial.lastReportAt,
  packWindow(partial.window),
  partial.clients.kinds,
  partial.clients.httpInstances,
];

function rowOf(row: TBreakerInstance, setting?: TWireSetting): TWireRow {
  const { window } = row;
  const wire: TWireRow = [row.instanceId, row.state, row.wouldBe, row.stale, row.lastReportAt, row.stateSince, window?.calls ?? null, window?.failureRate ?? null, window?.slowCallRate ?? null];
  if (setting) wire.push(setting);
  return wire;
}

const sameState = (a: TBreakerInstance, b: TBreakerInstance) => a.state === b.state && a.wouldBe === b.wouldBe && a.stale === b.stale && a.stateSince === b.stateSince;

const sameReport = (a: TBreakerInstance, b: TBreakerInstance) =>
  a.lastReportAt === b.lastReportAt && a.window?.calls === b.window?.calls && a.window?.failureRate === b.window?.failureRate && a.window?.slowCallRate === b.window?.slowCallRate;

// Labels and config are the registration's own objects: a new registration brings new ones.
function sameSetting(a: TBreakerInstance, b: TBreakerInstance): boolean {
  const { client: x } = a;
  const { client: y } = b;
  return a.name === b.name && a.labels === b.labels && a.config === b.config && x.kind === y.kind && x.sdk === y.sdk && x.transport === y.transport && x.readOnly === y.readOnly;
}

/** The configs of one batch, each content once (instances of a service register equal configs, each its own object). */
export class BatchConfigs {
  readonly list: TBreakerConfig[] = [];
  private readonly byObject = new Map<TBreakerConfig, number>();
  private readonly byContent = new Map<string, number>();

  indexOf(config: TBreakerConfig): number {
    let at = this.byObject.get(config);
    if (at !== undefined) return at;
    const content = JSON.stringify(config);
    at = this.byContent.get(content);
    if (at === undefined) this.byContent.set(content, (at = this.list.push(config) - 1));
    this.byObject.set(config, at);
    return at;
  }
}

/** What this server last sent of a breaker's part: its names, and its rows by instance in the order sent. */
interface Sent {
  service: string;
  name: string;
  ids: string[];
  rows: Map<string, TBreakerInstance>;
}

/** Whether the rows are the sent ones' instances in the same order. */
function sameHeld(sent: Sent, rows: readonly TBreakerInstance[]): boolean {
  if (sent.ids.length !== rows.length) return false;
  for (let i = 0; i < rows.length; i++) if (sent.ids[i] !== rows[i]!.instanceId) return false;
  return true;
}

/**
 * This server's side of the parts on the wire: it remembers what it last
 * sent of every breaker's part, so that a part carries only the rows that
 * changed (most of them only their moves), and the held instances and the
 * names only when they changed. `forget` starts over: the next parts are
 * whole, for a whole batch.
 */
export function createPartEncoder() {
  let sent = new Map<string, Sent>();

  return {
    /** The breaker's part, its rows' configs named in the batch's `configs`. */
    encode(partial: BreakerPartial, rows: readonly TBreakerInstance[], demo: boolean, configs: BatchConfigs): TWirePart {
      let before = sent.get(partial.id);
      const head = before?.service === partial.service && before.name === partial.name ? null : ([partial.service, partial.name] as [string, string]);
      let held: string[] | null = null;
      if (!before || !sameHeld(before, rows)) {
        // The held instances changed (rare): the rows of the ones still held are known to the readers.
        held = rows.map((row) => row.instanceId);
        const known = before?.rows;
        before = { service: partial.service, name: partial.name, ids: held, rows: new Map() };
        if (known) for (const row of rows) if (known.has(row.instanceId)) before.rows.set(row.instanceId, known.get(row.instanceId)!);
        sent.set(partial.id, before);
      } else if (head) {
        before.service = partial.service;
        before.name = partial.name;
      }
      const wire: Array<TWireRow | TWireReport> = [];
      for (const row of rows) {
        const last = before.rows.get(row.instanceId);
        before.rows.set(row.instanceId, row);
        if (last && sameSetting(last, row)) {
          if (!sameState(last, row)) wire.push(rowOf(row));
          else if (!sameReport(last, row)) wire.push([row.instanceId, row.lastReportAt, row.window?.calls ?? null, row.window?.failureRate ?? null, row.window?.slowCallRate ?? null]);
          continue;
        }
        const { client } = row;
        wire.push(rowOf(row, [row.name, row.labels, row.config && configs.indexOf(row.config), client.kind, client.sdk, client.transport, client.readOnly]));
      }
      return [partial.id, demo, packPartial(partial), wire, held, head];
    },

    /** The breaker's part went away: a later one is sent whole. */
    drop(breakerId: string): void {
      sent.delete(breakerId);
    },

    forget(): void {
      sent = new Map();
    },
  };
}
