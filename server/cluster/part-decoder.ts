import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import { countRow } from '../aggregate/counter-deltas';
import type { RemotePart, TRowMoves, TWirePart } from './part-wire';

const byName = (a: TBreakerInstance, b: TBreakerInstance) => a.name.localeCompare(b.name);

type RowSetting = Pick<TBreakerInstance, 'name' | 'labels' | 'config' | 'client'>;

function rowOf(instanceId: string, moves: TRowMoves, setting: RowSetting): TBreakerInstance {
  const [state, wouldBe, stale, lastReportAt, stateSince, calls, failureRate, slowCallRate] = moves;
  const window = calls === null || failureRate === null || slowCallRate === null ? null : { calls, failureRate, slowCallRate };
  return { instanceId, name: setting.name, labels: setting.labels, state, wouldBe, stale, lastReportAt, stateSince, window, config: setting.config, client: setting.client };
}

/**
 * A reader's side of one server's parts: the instance rows it has of each
 * breaker, which a part on the wire updates (createPartEncoder's other
 * half). A part that names an instance whose setting it never had (a
 * batch in between was lost) is not taken: its counts would hold an
 * instance its rows do not, until the server's next whole batch.
 */
export function createPartDecoder() {
  let rowsOf = new Map<string, Map<string, TBreakerInstance>>();

  return {
    /** The part, or null when it names an instance whose setting never came (a batch in between was lost): then nothing changes. */
    decode(breakerId: string, wire: TWirePart): RemotePart | null {
      const before = rowsOf.get(breakerId);
      // Without the held instances a part only updates one this decoder has.
      if (!wire.held && !before) return null;
      const rows = new Map(wire.held ? wire.held.flatMap((id) => (before?.has(id) ? [[id, before.get(id)!] as const] : [])) : before);
      for (const { instanceId, moves, setting } of wire.rows) {
        const known = rows.get(instanceId);
        if (setting) rows.set(instanceId, rowOf(instanceId, moves, { ...setting, config: setting.config === null ? null : (wire.configs[setting.config] ?? null) }));
        else if (known) rows.set(instanceId, rowOf(instanceId, moves, known));
        else return null;
      }
      if (wire.held && rows.size !== wire.held.length) return null;
      rowsOf.set(breakerId, rows);
      const row = countRow();
      row.set(wire.partial.window.row);
      return {
        partial: { ...wire.partial, window: { row, width: wire.partial.window.row.length, start: wire.partial.window.start } },
        rows: [...rows.values()].sort(byName),
        demo: wire.demo,
      };
    },

    drop(breakerId: string): void {
      rowsOf.delete(breakerId);
    },

    /** Breakers it has parts of. */
    breakerIds(): Iterable<string> {
      return rowsOf.keys();
    },

    forget(): void {
      rowsOf = new Map();
    },
  };
}
