import type { TInstanceCounts } from '../../lib/api/breaker-summary.js';
import type { TBreakerState, TTransitionCause } from '../../lib/protocol/breaker-state.js';
import type { ActiveRule, EventDraft } from './event-draft';

/**
 * What the notifier remembers about one breaker. `phase` is the service-wide
 * view that single events follow:
 *
 *   closed  --(state OPEN or HALF_OPEN)-->  tripped   emits breaker.tripped
 *   tripped --(state CLOSED)------------->  closed    emits breaker.recovered
 *
 * OPEN ⇄ HALF_OPEN stays tripped (one incident, not a trip per probe); the
 * FORCED_ states and "no live instance" (null) leave the phase alone: the
 * operator's own events cover overrides, and a fleet gone quiet is not a recovery.
 *
 * `unknown` is a breaker known at start whose instances were not live yet
 * (a server restart): the first state its reports show is adopted silently,
 * so a restart does not announce what was already announced; a reported
 * transition is news and moves it as from closed.
 */
export interface BreakerTrack {
  phase: 'unknown' | 'closed' | 'tripped';
  trippedAt: number | null;
  /** Trip times, oldest first, kept as long as the longest flapping window. */
  trips: number[];
  /** Flapping rules in force on this breaker: since when and how many trips since then. */
  flapping: Map<string, { since: number; trips: number }>;
  /** open_too_long / instances_open rules that fired and have not re-armed yet. */
  fired: Set<string>;
}

export interface BreakerView {
  state: TBreakerState | null;
  instances: TInstanceCounts;
}

/** What caused this evaluation when a reported transition did, for the tripped event. */
export interface Trigger {
  cause: TTransitionCause;
  failureRate: number | null;
  slowCallRate: number | null;
}

const TRIPPED_STATES: ReadonlySet<TBreakerState | null> = new Set(['OPEN', 'HALF_OPEN']);

/**
 * The track of a breaker known at start as `view` (already tripped counts from
 * `since`, without an event), or of a breaker first seen later (null): closed.
 */
export function newTrack(view: BreakerView | null, since: number | null): BreakerTrack {
  const tripped = view !== null && TRIPPED_STATES.has(view.state);
  const phase = tripped ? 'tripped' : view !== null && view.state === null ? 'unknown' : 'closed';
  return { phase, trippedAt: tripped ? since : null, trips: [], flapping: new Map(), fired: new Set() };
}

/** Moves the phase and evaluates the rules (already filtered to this breaker's service); mutates the track. */
export function evaluateBreaker(track: BreakerTrack, view: BreakerView, rules: readonly ActiveRule[], at: number, trigger: Trigger | null = null): EventDraft[] {
  const single: EventDraft[] = [];
  if (track.phase === 'unknown' && view.state !== null) {
    if (trigger) track.phase = 'closed';
    else {
      const tripped = TRIPPED_STATES.has(view.state);
      track.phase = tripped ? 'tripped' : 'closed';
      track.trippedAt = tripped ? at : null;
    }
  }
  if (track.phase === 'closed' && TRIPPED_STATES.has(view.state)) {
    track.phase = 'tripped';
    track.trippedAt = at;
    track.trips.push(at);
    for (const flap of track.flapping.values()) flap.trips += 1;
    single.push({ type: 'breaker.tripped', cause: trigger?.cause ?? null, failureRate: trigger?.failureRate ?? null, slowCallRate: trigger?.slowCallRate ?? null });
  } else if (track.phase === 'tripped' && view.state === 'CLOSED') {
    single.push({ type: 'breaker.recovered', openForMs: track.trippedAt === null ? null : at - track.trippedAt });
    track.phase = 'closed';
    track.trippedAt = null;
    // Re-armed for the next incident.
    for (const rule of rules) if (rule.condition.kind === 'open_too_long') track.fired.delete(rule.id);
  }

  const ruled: EventDraft[] = [];
  let longestWindowMs = 0;
  for (const rule of rules) {
    const { condition } = rule;
    const ref = { id: rule.id, name: rule.name };
    switch (condition.kind) {
      case 'open_too_long': {
        const openForMs = track.phase === 'tripped' && track.trippedAt !== null ? at - track.trippedAt : 0;
        if (openForMs >= condition.openForSeconds * 1000 && !track.fired.has(rule.id)) {
          track.fired.add(rule.id);
          ruled.push({ type: 'rule.open_too_long', rule: ref, openForMs, thresholdSeconds: condition.openForSeconds });
        }
        break;
      }
      case 'instances_open': {
        const live = view.instances.total - view.instances.stale;
        const open = (view.instances.byState.OPEN ?? 0) + (view.instances.byState.HALF_OPEN ?? 0);
        const openPercent = live > 0 ? (open / live) * 100 : 0;
        if (openPercent <= condition.percent) track.fired.delete(rule.id);
        else if (!track.fired.has(rule.id)) {
          track.fired.add(rule.id);
          ruled.push({ type: 'rule.instances_open', rule: ref, openPercent: Math.round(openPercent * 10) / 10, thresholdPercent: condition.percent, open, live });
        }
        break;
      }
      case 'flapping': {
        const windowMs = condition.windowSeconds * 1000;
        longestWindowMs = Math.max(longestWindowMs, windowMs);
        const inWindow = track.trips.filter((time) => time > at - windowMs).length;
        const flap = track.flapping.get(rule.id);
        if (!flap && inWindow > condition.trips) {
          track.flapping.set(rule.id, { since: at, trips: inWindow });
          ruled.push({ type: 'rule.flapping', rule: ref, status: 'started', trips: inWindow, windowSeconds: condition.windowSeconds, since: at });
        } else if (flap && inWindow === 0) {
          track.flapping.delete(rule.id);
          ruled.push({ type: 'rule.flapping', rule: ref, status: 'ended', trips: flap.trips, windowSeconds: condition.windowSeconds, since: flap.since });
        }
        break;
      }
      default: {
        const unknown: never = condition;
        throw new Error(`unknown rule ${JSON.stringify(unknown)}`);
      }
    }
  }
  // Flapping rules that were removed must not hold a breaker's events back forever.
  for (const id of track.flapping.keys()) if (!rules.some((rule) => rule.id === id)) track.flapping.delete(id);
  const horizon = at - longestWindowMs;
  while (track.trips.length > 0 && track.trips[0]! <= horizon) track.trips.shift();

  // While a breaker flaps, its single events are what the summary replaces.
  return track.flapping.size > 0 ? ruled : [...single, ...ruled];
}
