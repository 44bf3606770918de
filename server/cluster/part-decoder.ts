import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import { ZBreakerState, type TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import { countRow } from '../aggregate/counter-deltas';
import type { RemotePart, TWirePart, TWireReport, TWireRow } from './part-wire';

/** What a reader has of one server's part of a breaker: its names and its instance rows, updated in place. */
interface Known {
  service: string;
  name: string;
  rows: Map<string, TBreakerInstance>;
  /** The rows as a list, made again only when the instances held change. */
  list: TBreakerInstance[];
  window: Float64Array;
}

/** Unpacks a window (part-encoder.ts packWindow) into `row`, which it clears first. */
function unpackWindow(packed: readonly number[], row: Float64Array): { row: Float64Array; width: number; start: number } {
  row.fill(0);
  let at = 0;
  for (let i = 2; i < packed.length; i++) {
    const entry = packed[i]!;
    if (entry < 0) at -= entry;
    else row[at++] = entry;
  }
  return { row, width: packed[1]!, start: packed[0]! };
}

/** Writes a report's last report and window into an instance row. */
function report(target: TBreakerInstance, lastReportAt: number | null, calls: number | null, failureRate: number | null, slowCallRate: number | null): void {
  target.lastReportAt = lastReportAt;
  const { window } = target;
  if (calls === null || failureRate === null || slowCallRate === null) target.window = null;
  else if (!window || window.calls !== calls || window.failureRate !== failureRate || window.slowCallRate !== slowCallRate) target.window = { calls, failureRate, slowCallRate };
}

/** Writes a row's moves into an instance row: all of them, or (a report alone) the last report and the window. */
function move(target: TBreakerInstance, wire: TWireRow | TWireReport): void {
  if (wire.length === 5) return report(target, wire[1], wire[2], wire[3], wire[4]);
  target.state = wire[1];
  target.wouldBe = wire[2];
  target.stale = wire[3];
  target.stateSince = wire[5];
  report(target, wire[4], wire[6], wire[7], wire[8]);
}

/** A new instance row from a row that carries its setting. */
function rowWithSetting(wire: TWireRow, configs: readonly TBreakerConfig[]): TBreakerInstance {
  const [name, labels, config, kind, sdk, transport, readOnly] = wire[9]!;
  const row: TBreakerInstance = {
    instanceId: wire[0],
    name,
    labels,
    state: wire[1],
    wouldBe: null,
    stale: false,
    lastReportAt: null,
    stateSince: null,
    window: null,
    config: config === null ? null : (configs[config] ?? null),
    client: { kind, sdk, transport, readOnly },
  };
  move(row, wire);
  return row;
}

/**
 * A reader's side of one server's parts: the names and instance rows it has
 * of each breaker, which a part on the wire updates in place
 * (createPartEncoder's other half). The rows are in no particular order; a
 * merged view sorts them. A part that names an instance whose setting it
 * never had (a batch in between was lost), or a breaker whose names it never
 * had, is not taken: its counts would hold an instance its rows do not,
 * until the server's next whole batch.
 */
export function createPartDecoder() {
  let known = new Map<string, Known>();

  /** Whether the part can be taken whole: every row it moves and every instance it holds is known or comes with its setting. */
  function takes(wire: TWirePart, before: Known | undefined): boolean {
    const [, , , rows, held, head] = wire;
    if (!before && (!held || !head)) return false;
    if (!held) {
      for (const row of rows) if (row.length !== 10 && !before!.rows.has(row[0])) return false;
      return true;
    }
    const ids = new Set(held);
    if (ids.size !== held.length) return false;
    const coming = new Set<string>();
    for (const row of rows) {
      if (!ids.has(row[0])) return false;
      if (row.length === 10) coming.add(row[0]);
      else if (!before?.rows.has(row[0])) return false;
    }
    // Every held instance without its setting here must be known already.
    for (const id of held) if (!coming.has(id) && !before?.rows.has(id)) return false;
    return true;
  }

  return {
    /** The part, or null when it names an instance whose setting (or a breaker whose names) never came: then nothing changes. */
    decode(wire: TWirePart, configs: readonly TBreakerConfig[]): RemotePart | null {
      const [id, demo, partial, rows, held, head] = wire;
      let entry = known.get(id);
      if (!takes(wire, entry)) return null;
      if (!entry) known.set(id, (entry = { service: head![0], name: head![1], rows: new Map(), list: [], window: countRow() }));
      else if (head) [entry.service, entry.name] = head;
      if (held) {
        const kept = new Map<string, TBreakerInstance>();
        for (const instanceId of held) {
          const row = entry.rows.get(instanceId);
          if (row) kept.set(instanceId, row);
        }
        entry.rows = kept;
      }
      // A row with its setting is a new object: the list is made again.
      let listed = held === null;
      for (const row of rows) {
        if (row.length === 10) {
          entry.rows.set(row[0], rowWithSetting(row, configs));
          listed = false;
        } else move(entry.rows.get(row[0])!, row);
      }
      if (!listed) entry.list = [...entry.rows.values()];
      const [counts, wouldBe, total, stale, state, stateSince, lastReportAt, window, kinds, httpInstances] = partial;
      const byState = {} as Record<TBreakerState, number>;
      ZBreakerState.options.forEach((key, index) => (byState[key] = counts[index]!));
      const decoded: BreakerPartial = {
        id,
        service: entry.service,
        name: entry.name,
        byState,
        wouldBe,
        total,
        stale,
        state,
        stateSince,
        lastReportAt,
        window: unpackWindow(window, entry.window),
        clients: { kinds, httpInstances },
      };
      return { partial: decoded, rows: entry.list, demo };
    },

    drop(breakerId: string): void {
      known.delete(breakerId);
    },

    /** Breakers it has parts of. */
    breakerIds(): Iterable<string> {
      return known.keys();
    },

    forget(): void {
      known = new Map();
    },
  };
}
