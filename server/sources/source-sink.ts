import { sourceSdkName, type TSourceClientKind } from '../../lib/api/reporter-client.js';
import type { TOutcomeCounters, TReport } from '../../lib/protocol/breaker-report.js';
import type { TAutomaticState, TBreakerState, TTransitionCause } from '../../lib/protocol/breaker-state.js';
import type { TTransition } from '../../lib/protocol/transition.js';
import { PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import type { HttpCommands } from '../control/http-commands';
import type { Ingest } from '../ingest/ingest';
import { nameFullReport } from '../ingest/named-report';
import type { ReporterIdentity } from '../auth/reporter-identity';
import type { Logger } from '../logger';
import type { SourceBreakerSnapshot, SourceInstanceSnapshot, SourceSink, SourceTransition } from './source-snapshot';

/** What the sink needs to know about a source to speak for its instances. */
export interface SourceFacts {
  name: string;
  kind: TSourceClientKind;
  /** What the watched service runs, for the registration's `sdk.language` ("java", "node", "dotnet"…). */
  language: string;
  /**
   * How long an instance's last read stands for it: its breakers are
   * reported again every report interval for this long after a read, and
   * then go stale unless a new read came (a poll interval and a timeout, or
   * an export interval).
   */
  holdMs: number;
}

export interface SourceSinkDependencies {
  ingest: Ingest;
  /** The service's id by name, creating the service when new. */
  serviceId(name: string): Promise<string>;
  commands: HttpCommands;
  facts(sourceId: string): SourceFacts | undefined;
  /** A read of one instance succeeded (error null) or failed; `instance` null: the source as a whole. */
  onStatus(sourceId: string, instance: string | null, error: string | null): void;
  now: () => number;
  /** The reporters' interval: the sink reports each held instance this often, as an SDK does. */
  reportIntervalMs: number;
  logger: Logger;
}

const AUTOMATIC = new Set<TBreakerState>(['CLOSED', 'OPEN', 'HALF_OPEN']);
const isAutomatic = (state: TBreakerState): state is TAutomaticState => AUTOMATIC.has(state);
const COUNTER_KEYS = ['success', 'failure', 'timeout', 'rejected', 'slow', 'fallback'] as const;
const NO_WINDOW = { calls: 0, failureRate: 0, slowCallRate: 0 };
const NO_LATENCY = { counts: [], sumMs: 0 };
// Transitions a source reported that the sink remembers per instance, so a read that repeats them stores nothing twice.
const REMEMBERED_TRANSITIONS = 500;

interface InstanceTrack {
  sourceId: string;
  reporter: ReporterIdentity;
  instance: string;
  /** The run the adapter named. */
  adapterRunId: string;
  /** The run reported to the panel: the adapter's, or a new one when its counters went backwards within it. */
  runId: string;
  resets: number;
  registered: boolean;
  sequence: number;
  transitionSequence: number;
  /** The state each breaker was last seen in, across runs (a restart shows as a transition). */
  states: Map<string, TBreakerState>;
  /** The last automatic state of each breaker: what it "would be" under an override. */
  automatic: Map<string, TAutomaticState>;
  counters: Map<string, TOutcomeCounters>;
  seenTransitions: Set<string>;
  last: SourceInstanceSnapshot | null;
  lastReadAt: number;
  reachable: boolean;
  steerable: boolean;
  /** Everything for one instance runs in order: a heartbeat never overtakes the read it repeats. */
  queue: Promise<void>;
}

/** Why a breaker moved from one state to another, as far as an observer can tell. */
function causeOf(from: TBreakerState, to: TBreakerState, breaker: SourceBreakerSnapshot | undefined, commandDriven: boolean): TTransitionCause {
  if (to === 'FORCED_OPEN' || to === 'FORCED_CLOSED' || from === 'FORCED_OPEN' || from === 'FORCED_CLOSED') return commandDriven ? 'command' : 'manual';
  if (from === 'CLOSED' && to === 'OPEN') return (breaker?.window?.slowCallRate ?? 0) > (breaker?.window?.failureRate ?? 0) ? 'slow_call_rate' : 'failure_rate';
  if (from === 'OPEN' && to === 'HALF_OPEN') return 'open_timeout_elapsed';
  if (from === 'HALF_OPEN' && to === 'OPEN') return 'trial_failed';
  if ((from === 'HALF_OPEN' || from === 'OPEN') && to === 'CLOSED') return 'trials_succeeded';
  return 'manual';
}

const decreased = (before: TOutcomeCounters, after: TOutcomeCounters) => COUNTER_KEYS.some((key) => after[key] < before[key]);

/**
 * Turns what adapters read into what an SDK reporter sends, through the same
 * ingest: a registration when an instance (or a new run of it) appears, the
 * transitions (the source's own, or derived from state changes), and a
 * report every report interval while the last read stands, so that source
 * instances are stored, rolled up, shown, alerted on and go stale exactly
 * like SDK instances. Steerable instances also keep an HTTP mailbox, through
 * which the adapter receives operator commands (source-commands.ts).
 */
export function createSourceSink({ ingest, serviceId, commands, facts, onStatus, now, reportIntervalMs, logger }: SourceSinkDependencies) {
  const tracks = new Map<string, InstanceTrack>();
  const keyOf = (sourceId: string, instance: string) => `${sourceId}|${instance}`;

  /** The one place a full report is handed to ingest. */
  async function deliverReport(reporter: ReporterIdentity, report: TReport): Promise<void> {
    await ingest.report(reporter, nameFullReport(report));
  }

  const enqueue = (track: InstanceTrack, work: () => Promise<void>): Promise<void> => {
    const next = track.queue.then(work, work);
    track.queue = next.catch(() => undefined);
    return next;
  };

  function buildReport(track: InstanceTrack, snapshot: SourceInstanceSnapshot): TReport {
    track.sequence += 1;
    return {
      protocolVersion: PROTOCOL_VERSION,
      service: snapshot.service,
      instanceId: snapshot.instance,
      runId: track.runId,
      sequence: track.sequence,
      sentAt: now(),
      droppedTransitions: 0,
      breakers: snapshot.breakers.map((breaker) => ({
        name: breaker.name,
        state: breaker.state,
        wouldBe: isAutomatic(breaker.state) ? breaker.state : (track.automatic.get(breaker.name) ?? 'CLOSED'),
        override: breaker.override ?? null,
        counters: breaker.counters,
        latency: breaker.latency ?? NO_LATENCY,
        window: breaker.window ?? NO_WINDOW,
      })),
    };
  }

  /** Source transitions not stored yet, and one derived for each breaker whose state changed without one. */
  function transitionsOf(track: InstanceTrack, snapshot: SourceInstanceSnapshot, restarted: boolean): TTransition[] {
    const byName = new Map(snapshot.breakers.map((breaker) => [breaker.name, breaker]));
    const fresh: SourceTransition[] = [];
    const lastTo = new Map<string, TBreakerState>();
    for (const transition of [...snapshot.transitions].sort((a, b) => a.at - b.at)) {
      const key = `${transition.breaker}|${transition.from}|${transition.to}|${transition.at}`;
      if (track.seenTransitions.has(key)) continue;
      track.seenTransitions.add(key);
      fresh.push(transition);
      lastTo.set(transition.breaker, transition.to);
    }
    while (track.seenTransitions.size > REMEMBERED_TRANSITIONS) track.seenTransitions.delete(track.seenTransitions.values().next().value!);
    for (const breaker of snapshot.breakers) {
      const before = lastTo.get(breaker.name) ?? track.states.get(breaker.name);
      // The first sight of a breaker has nothing to compare with: no transition is made up for it.
      if (before !== undefined && before !== breaker.state) fresh.push({ breaker: breaker.name, from: before, to: breaker.state, at: snapshot.observedAt });
    }
    return fresh.map((transition) => {
      const breaker = byName.get(transition.breaker);
      // Leaving a forced state on a steerable instance is the panel's release or reset, unless the process restarted and lost it.
      const commandDriven = Boolean(breaker?.override?.commandId) || (transition.from.startsWith('FORCED_') && track.steerable && !restarted);
      track.transitionSequence += 1;
      return {
        protocolVersion: PROTOCOL_VERSION,
        service: snapshot.service,
        instanceId: snapshot.instance,
        runId: track.runId,
        sequence: track.transitionSequence,
        breaker: transition.breaker,
        from: transition.from,
        to: transition.to,
        wouldBe: isAutomatic(transition.to) ? transition.to : (track.automatic.get(transition.breaker) ?? 'CLOSED'),
        at: transition.at,
        cause: causeOf(transition.from, transition.to, breaker, commandDriven),
        failureRate: breaker?.window?.failureRate ?? 0,
        slowCallRate: breaker?.window?.slowCallRate ?? 0,
        commandId: transition.to.startsWith('FORCED_') ? (breaker?.override?.commandId ?? null) : null,
      };
    });
  }

  async function register(track: InstanceTrack, snapshot: SourceInstanceSnapshot, source: SourceFacts): Promise<void> {
    // Breakers are not declared: the report names them and ingest creates them without a configuration, which a source cannot give in the panel's terms.
    await ingest.register(
      track.reporter,
      {
        protocolVersion: PROTOCOL_VERSION,
        service: snapshot.service,
        instanceId: snapshot.instance,
        runId: track.runId,
        startedAt: Math.trunc(snapshot.observedAt),
        labels: { source: source.name },
        sdk: { name: sourceSdkName(source.kind, !track.steerable), version: '1', language: source.language },
        breakers: [],
      },
      'http',
    );
    track.registered = true;
  }

  /** An HTTP-like contact for a steerable instance: its mailbox stays open, and a new run is sent the overrides in force again. */
  async function contact(track: InstanceTrack, resend: boolean): Promise<void> {
    if (!track.steerable) return;
    const instanceId = ingest.instanceIdOf(track.reporter, track.instance);
    if (!instanceId) return;
    if (commands.heardFrom(instanceId, track.runId) || resend) await commands.resendOverrides(instanceId);
  }

  async function apply(sourceId: string, snapshot: SourceInstanceSnapshot): Promise<void> {
    const source = facts(sourceId);
    if (!source) return;
    const key = keyOf(sourceId, snapshot.instance);
    let track = tracks.get(key);
    if (track && track.reporter.serviceName !== snapshot.service) {
      tracks.delete(key);
      track = undefined;
    }
    if (!track) {
      const id = await serviceId(snapshot.service);
      track = {
        sourceId,
        reporter: { keyId: `source:${sourceId}`, serviceId: id, serviceName: snapshot.service, demo: false },
        instance: snapshot.instance,
        adapterRunId: snapshot.runId,
        runId: snapshot.runId,
        resets: 0,
        registered: false,
        sequence: 0,
        transitionSequence: 0,
        states: new Map(),
        automatic: new Map(),
        counters: new Map(),
        seenTransitions: new Set(),
        last: null,
        lastReadAt: 0,
        reachable: true,
        steerable: false,
        queue: Promise.resolve(),
      };
      tracks.set(key, track);
    }
    const current = track;
    await enqueue(current, async () => {
      const steerable = snapshot.breakers.length > 0 && snapshot.breakers.every((breaker) => breaker.writable);
      let runChanged = false;
      if (snapshot.runId !== current.adapterRunId) {
        current.adapterRunId = snapshot.runId;
        current.runId = snapshot.runId;
        current.resets = 0;
        runChanged = true;
      } else if (
        snapshot.breakers.some((breaker) => {
          const before = current.counters.get(breaker.name);
          return before !== undefined && decreased(before, breaker.counters);
        })
      ) {
        // Counters went backwards without a new run from the adapter: the process restarted unseen, so a new run starts from zero.
        current.resets += 1;
        current.runId = `${snapshot.runId.slice(0, 80)}~${current.resets}`;
        runChanged = true;
      }
      if (runChanged) {
        current.sequence = 0;
        current.transitionSequence = 0;
        current.counters.clear();
      }
      // Registered again (same run, same sequences) when only its writability changed: the screens' client kind follows.
      const newRegistration = runChanged || !current.registered || steerable !== current.steerable;
      current.steerable = steerable;
      if (newRegistration) await register(current, snapshot, source);

      const transitions = transitionsOf(current, snapshot, runChanged);
      await ingest.transitions(current.reporter, transitions);
      for (const breaker of snapshot.breakers) {
        current.states.set(breaker.name, breaker.state);
        if (isAutomatic(breaker.state)) current.automatic.set(breaker.name, breaker.state);
        current.counters.set(breaker.name, breaker.counters);
      }
      current.last = snapshot;
      current.lastReadAt = now();
      current.reachable = true;
      await deliverReport(current.reporter, buildReport(current, snapshot));
      await contact(current, newRegistration);
    });
    onStatus(sourceId, snapshot.instance, null);
  }

  /** Reports every held instance again, as an SDK does every report interval; those whose last read is too old are left to go stale. */
  function heartbeat(): void {
    const at = now();
    for (const track of tracks.values()) {
      const source = facts(track.sourceId);
      if (!source || !track.reachable || !track.last || at - track.lastReadAt > source.holdMs) continue;
      if (at - track.lastReadAt < reportIntervalMs) continue;
      void enqueue(track, async () => {
        // Read when it runs, not when it was queued: a read queued before it may have started a new run with new counters.
        const snapshot = track.last;
        if (!snapshot || !track.reachable) return;
        await deliverReport(track.reporter, buildReport(track, snapshot));
        await contact(track, false);
      }).catch((error: unknown) => logger.warn({ err: error, source: source.name, instance: track.instance }, 'reporting a source instance failed'));
    }
  }

  const timer = setInterval(heartbeat, reportIntervalMs);
  timer.unref();

  const sink: SourceSink = {
    snapshot: apply,
    unreachable(sourceId, error, instance) {
      for (const track of tracks.values()) {
        if (track.sourceId === sourceId && (instance === undefined || track.instance === instance)) track.reachable = false;
      }
      onStatus(sourceId, instance ?? null, error);
    },
  };

  return {
    ...sink,
    /** The reporter identity and panel instance id of a source instance, once it has registered. */
    instanceOf(sourceId: string, instance: string): { reporter: ReporterIdentity; instanceId: string; runId: string } | null {
      const track = tracks.get(keyOf(sourceId, instance));
      const instanceId = track ? ingest.instanceIdOf(track.reporter, instance) : undefined;
      return track && instanceId ? { reporter: track.reporter, instanceId, runId: track.runId } : null;
    },
    /** A source was removed, disabled or changed: its instances stop being reported and go stale. */
    forget(sourceId: string): void {
      for (const [key, track] of tracks) if (track.sourceId === sourceId) tracks.delete(key);
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}

export type SourceSinkRuntime = ReturnType<typeof createSourceSink>;
