import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import { countRow } from '../aggregate/counter-deltas';
import type { RemotePart, TRowMoves, TWirePart } from './part-wire';

const byName = (a: TBreakerInstance, b: TBreakerInstance) => a.name.localeCompare(b.name);

function rowOf(instanceId: string, moves: TRowMoves, setting: Omit<TBreakerInstance, 'instanceId' | 'state' | 'wouldBe' | 'stale' | 'lastReportAt' | 'stateSince' | 'window'>): TBreakerInstance {
  const [state, wouldBe, stale, lastReportAt, stateSince, calls, failureRate, slowCallRate] = moves;
  const window = calls === null || failureRate === null || slowCallRate === null ? null : { calls, failureRate, slowCallRate };
  return { instanceId, ...setting, state, wouldBe, stale, lastReportAt, stateSince, window };
}

/**
 * A reader's side of one server's parts: the instance rows it has of each
 * breaker, which a part on the wire updates (createPartEncoder's other
 * half). A row whose setting it never had (a batch in between was lost)
 * keeps its previous row, or is left out, until the server's next whole batch.
 */
export function createPartDecoder() {
  let rowsOf = new Map<string, Map<string, TBreakerInstance>>();

  return {
    decode(breakerId: string, wire: TWirePart): RemotePart {
      const before = rowsOf.get(breakerId);
      const rows = new Map(wire.held ? wire.held.flatMap((id) => (before?.has(id) ? [[id, before.get(id)!] as const] : [])) : before);
      for (const { instanceId, moves, setting } of wire.rows) {
        const known = rows.get(instanceId);
        if (setting) rows.set(instanceId, rowOf(instanceId, moves, { ...setting, config: setting.config === null ? null : (wire.configs[setting.config] ?? null) }));
        else if (known) rows.set(instanceId, rowOf(instanceId, moves, known));
      }
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
