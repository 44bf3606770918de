import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import { ZBreakerState, type TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import { countRow } from '../aggregate/counter-deltas';
import { worseState } from '../aggregate/state-counts';

/** One server's part of one breaker: its partial and the rows of the instances it counts. */
export interface ServerPart {
  serverId: string;
  partial: BreakerPartial;
  rows: readonly TBreakerInstance[];
}

/**
 * A dead server's part as every view shows it: its instances stale (never
 * healthy, in no state), its recent counts gone with it.
 */
export function asStale(part: ServerPart, at: number): ServerPart {
  const { partial } = part;
  const byState = { ...partial.byState };
  for (const state of ZBreakerState.options) byState[state] = 0;
  return {
    serverId: part.serverId,
    partial: { ...partial, byState, stale: partial.total, state: null, wouldBe: null, stateSince: null, window: { row: countRow(), width: 0, start: at } },
    rows: part.rows.map((row) => (row.stale ? row : { ...row, stale: true })),
  };
}

/**
 * The partial without some of its instances' rows (`removed`), the counts
 * taken out one by one; `kept` are its other rows, from which the states
 * that cannot be taken apart (the worst would-be state, the clients) are
 * worked out again. Recent counts stay: they were counted where they arrived.
 */
export function withoutRows(partial: BreakerPartial, removed: readonly TBreakerInstance[], kept: readonly TBreakerInstance[]): BreakerPartial {
  const byState = { ...partial.byState };
  let { total, stale } = partial;
  for (const row of removed) {
    total -= 1;
    if (row.stale) stale -= 1;
    else byState[row.state] -= 1;
  }
  const live = kept.filter((row) => !row.stale);
  const state = ZBreakerState.options.filter((candidate) => byState[candidate] > 0).reduce<TBreakerState | null>(worseState, null);
  let stateSince = partial.stateSince;
  if (state !== partial.state) {
    stateSince = null;
    for (const row of live) if (row.state === state && row.stateSince !== null) stateSince = Math.max(stateSince ?? row.stateSince, row.stateSince);
  }
  let wouldBe: TBreakerState | null = null;
  for (const row of live) wouldBe = worseState(wouldBe, row.wouldBe);
  const kinds = new Set(kept.map((row) => row.client.kind));
  return {
    ...partial,
    byState,
    total,
    stale,
    state,
    stateSince,
    wouldBe,
    clients: { kinds: [...kinds].sort(), httpInstances: kept.filter((row) => row.client.transport === 'http').length },
  };
}

/**
 * The part of a breaker this server stands for in a merge: the instances it
 * holds (a transport), with its partial's counts of the others taken out.
 * Instances it knows only from the catalog are left to the server that
 * holds them, and so are declared pairs that never reported (no row): its
 * total is the rows it holds. Null when it holds none.
 */
export function heldPart(partial: BreakerPartial, rows: readonly TBreakerInstance[]): { partial: BreakerPartial; rows: TBreakerInstance[] } | null {
  const held = rows.filter((row) => row.client.transport !== null);
  if (held.length === 0) return null;
  const shown =
    held.length === rows.length
      ? partial
      : withoutRows(
          partial,
          rows.filter((row) => row.client.transport === null),
          held,
        );
  return { partial: shown.total === held.length ? shown : { ...shown, total: held.length }, rows: held };
}

/** Which of two rows of one instance stands for it: a live one, then the latest report, then (for every server to agree) the larger server id. */
function better(a: { row: TBreakerInstance; serverId: string }, b: { row: TBreakerInstance; serverId: string }): boolean {
  if (a.row.stale !== b.row.stale) return !a.row.stale;
  const aAt = a.row.lastReportAt ?? -1;
  const bAt = b.row.lastReportAt ?? -1;
  if (aAt !== bAt) return aAt > bAt;
  return a.serverId > b.serverId;
}

/**
 * Counts every instance once: an instance in several servers' parts (it
 * moved, or a balancer spreads its HTTP requests) stays in the part that
 * says most about it now and is taken out of the others. Parts left with no
 * instance at all are left out. Most breakers have no instance on two
 * servers: then the parts are returned as they are.
 */
export function dedupeParts(parts: readonly ServerPart[]): ServerPart[] {
  if (parts.length < 2) return [...parts];
  const winners = new Map<string, { row: TBreakerInstance; serverId: string }>();
  let shared = false;
  for (const part of parts) {
    for (const row of part.rows) {
      const candidate = { row, serverId: part.serverId };
      const held = winners.get(row.instanceId);
      if (held) shared = true;
      if (!held || better(candidate, held)) winners.set(row.instanceId, candidate);
    }
  }
  if (!shared) return [...parts];
  const result: ServerPart[] = [];
  for (const part of parts) {
    const kept: TBreakerInstance[] = [];
    const removed: TBreakerInstance[] = [];
    for (const row of part.rows) (winners.get(row.instanceId)!.row === row ? kept : removed).push(row);
    if (removed.length === 0) result.push(part);
    else if (kept.length > 0 || part.partial.total > removed.length) result.push({ serverId: part.serverId, partial: withoutRows(part.partial, removed, kept), rows: kept });
  }
  return result;
}
