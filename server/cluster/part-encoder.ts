import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import type { TRowMoves, TWirePart } from './part-wire';

export const movesOf = (row: TBreakerInstance): TRowMoves => [
  row.state,
  row.wouldBe,
  row.stale,
  row.lastReportAt,
  row.stateSince,
  row.window?.calls ?? null,
  row.window?.failureRate ?? null,
  row.window?.slowCallRate ?? null,
];

function sameMoves(a: TBreakerInstance, b: TBreakerInstance): boolean {
  return (
    a.state === b.state &&
    a.wouldBe === b.wouldBe &&
    a.stale === b.stale &&
    a.lastReportAt === b.lastReportAt &&
    a.stateSince === b.stateSince &&
    a.window?.calls === b.window?.calls &&
    a.window?.failureRate === b.window?.failureRate &&
    a.window?.slowCallRate === b.window?.slowCallRate
  );
}

// Labels and config are the registration's own objects: a new registration brings new ones.
function sameSetting(a: TBreakerInstance, b: TBreakerInstance): boolean {
  const { client: x } = a;
  const { client: y } = b;
  return a.name === b.name && a.labels === b.labels && a.config === b.config && x.kind === y.kind && x.sdk === y.sdk && x.transport === y.transport && x.readOnly === y.readOnly;
}

/**
 * This server's side of the parts on the wire: it remembers what it last
 * sent of every breaker's part, so that a batch carries only the rows that
 * changed (most of them only their moves) and the held instances only when
 * they changed. `forget` starts over: the next parts are whole, for a
 * whole batch.
 */
export function createPartEncoder() {
  let sent = new Map<string, { held: string; rows: Map<string, TBreakerInstance> }>();

  return {
    encode(partial: BreakerPartial, rows: readonly TBreakerInstance[], demo: boolean): TWirePart {
      const before = sent.get(partial.id);
      const held = rows.map((row) => row.instanceId).join('\n');
      const configs: TBreakerConfig[] = [];
      const indexOf = (config: TBreakerConfig | null) => {
        if (!config) return null;
        const at = configs.indexOf(config);
        return at >= 0 ? at : configs.push(config) - 1;
      };
      const wire: TWirePart['rows'] = [];
      const now = new Map<string, TBreakerInstance>();
      for (const row of rows) {
        now.set(row.instanceId, row);
        const last = before?.rows.get(row.instanceId);
        if (last && sameSetting(last, row)) {
          if (!sameMoves(last, row)) wire.push({ instanceId: row.instanceId, moves: movesOf(row) });
          continue;
        }
        wire.push({ instanceId: row.instanceId, moves: movesOf(row), setting: { name: row.name, labels: row.labels, client: row.client, config: indexOf(row.config) } });
      }
      sent.set(partial.id, { held, rows: now });
      const { window } = partial;
      return {
        partial: { ...partial, window: { row: Array.from(window.row.subarray(0, window.width)), start: window.start } },
        demo,
        ...(before?.held === held ? {} : { held: rows.map((row) => row.instanceId) }),
        configs,
        rows: wire,
      };
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
