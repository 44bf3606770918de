import type { TBreakerState, TTransitionCause } from '../protocol/breaker-state';
import { isTripped } from './lane-state';

/** A stored transition as the episode logic needs it; `instance` is null for the panel's own rows. */
export interface TEpisodeTransition {
  instance: string | null;
  at: number;
  from: TBreakerState | null;
  to: TBreakerState;
  cause: TTransitionCause;
  failureRate: number | null;
  slowCallRate: number | null;
}

/** One breaker's history over [from, to): each instance's state at `from`, and the transitions inside. */
export interface TEpisodeInput {
  from: number;
  to: number;
  /** The state of each instance at `from` (its last transition before the range). */
  initial: ReadonlyMap<string, TBreakerState>;
  /** Transitions in the range, in any order; ties keep their given order (pass them ordered by id). */
  transitions: readonly TEpisodeTransition[];
}

/** A trip episode: from the first instance leaving CLOSED to the last one returning to it. */
export interface TEpisode {
  /** `from` of the range when it began before it. */
  start: number;
  /** Null while still open at the end of the range. */
  end: number | null;
  /** Within the range: (end ?? to) − start. */
  durationMs: number;
  /** Every instance that was tripped at some point of the episode, sorted. */
  instances: string[];
  /** The highest rates among the transitions into OPEN inside the episode: the rates that caused the trips. */
  peakFailureRate: number | null;
  peakSlowCallRate: number | null;
  /** Transitions into OPEN over all instances: 1 per instance for a clean trip, more when it flaps. */
  openings: number;
  /** Operator and host actions inside: the panel's own rows and transitions caused by a command, a manual call or an expiry. */
  actions: TEpisodeTransition[];
  beganBeforeRange: boolean;
  openAtEnd: boolean;
}

/**
 * How long before an episode's first trip an action still belongs to it: the
 * panel writes its own row when the operator acts, and the instances report
 * the resulting FORCED_OPEN a moment later, once the command reached them.
 */
export const ACTION_LEAD_MS = 5_000;

const MANUAL_CAUSES: ReadonlySet<TTransitionCause> = new Set(['manual', 'command', 'override_expired']);

/** True for the rows the incidents list shows as actions: the panel's own, and those an operator or the host caused. */
export function isManualTransition(transition: TEpisodeTransition): boolean {
  return transition.instance === null || MANUAL_CAUSES.has(transition.cause);
}

/** True when something at `at` happened inside an episode, or just before it began (see ACTION_LEAD_MS). */
export function isWithinEpisode(at: number, episode: Pick<TEpisode, 'start' | 'end' | 'beganBeforeRange'>, to: number): boolean {
  const lead = episode.beganBeforeRange ? 0 : ACTION_LEAD_MS;
  return at >= episode.start - lead && at <= (episode.end ?? to);
}

const maxOf = (current: number | null, value: number | null) => (value === null ? current : current === null ? value : Math.max(current, value));

/**
 * Replays one breaker's instances through the range and cuts it into trip
 * episodes. An instance counts as tripped in OPEN, HALF_OPEN and FORCED_OPEN
 * (FORCED_CLOSED lets calls pass); an episode lasts while at least one
 * instance is tripped, so overlapping outages of several instances are one
 * episode and a flapping breaker (OPEN ⇄ HALF_OPEN) stays in one until it
 * closes. An instance with no transition before the range starts in its
 * first transition's `from`. The panel's own rows (instance null) never
 * change a state: the instances report what they did with the command.
 */
export function episodesOf({ from, to, initial, transitions }: TEpisodeInput): TEpisode[] {
  const ordered = transitions.map((transition, index) => ({ transition, index })).sort((a, b) => a.transition.at - b.transition.at || a.index - b.index);
  const states = new Map(initial);
  for (const { transition } of ordered) {
    if (transition.instance !== null && !states.has(transition.instance) && transition.from) states.set(transition.instance, transition.from);
  }
  const tripped = new Set([...states].filter(([, state]) => isTripped(state)).map(([instance]) => instance));

  const episodes: TEpisode[] = [];
  let open: (TEpisode & { affected: Set<string> }) | null = null;
  const begin = (start: number, beganBeforeRange: boolean) => {
    open = { start, end: null, durationMs: 0, instances: [], affected: new Set(tripped), peakFailureRate: null, peakSlowCallRate: null, openings: 0, actions: [], beganBeforeRange, openAtEnd: false };
  };
  const finish = (end: number | null) => {
    const episode = open!;
    const { affected, ...rest } = episode;
    episodes.push({ ...rest, end, durationMs: (end ?? to) - episode.start, instances: [...affected].sort(), openAtEnd: end === null });
    open = null;
  };
  if (tripped.size > 0) begin(from, true);

  const actions: TEpisodeTransition[] = [];
  for (const { transition } of ordered) {
    if (isManualTransition(transition)) actions.push(transition);
    if (transition.instance === null) continue;
    states.set(transition.instance, transition.to);
    if (isTripped(transition.to)) tripped.add(transition.instance);
    else tripped.delete(transition.instance);
    if (!open && tripped.size > 0) begin(transition.at, false);
    const episode = open as (TEpisode & { affected: Set<string> }) | null;
    if (!episode) continue;
    if (isTripped(transition.to)) episode.affected.add(transition.instance);
    if (transition.to === 'OPEN') {
      episode.openings += 1;
      episode.peakFailureRate = maxOf(episode.peakFailureRate, transition.failureRate);
      episode.peakSlowCallRate = maxOf(episode.peakSlowCallRate, transition.slowCallRate);
    }
    if (tripped.size === 0) finish(transition.at);
  }
  if (open) finish(null);

  // Each action goes to the first episode it falls in: the lead never reaches back into the previous one's body.
  for (const action of actions) episodes.find((episode) => isWithinEpisode(action.at, episode, to))?.actions.push(action);
  return episodes;
}
