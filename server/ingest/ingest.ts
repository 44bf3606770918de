import type { TReporterTransport } from '../../lib/api/reporter-client.js';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { TCommandAck } from '../../lib/protocol/command.js';
import type { TInstanceRegister } from '../../lib/protocol/instance-register.js';
import type { TReport } from '../../lib/protocol/breaker-report.js';
import { heldOverrides, type NamedReport } from './named-report';
import type { TTransition } from '../../lib/protocol/transition.js';
import type { Aggregate } from '../aggregate/aggregate';
import type { CounterBaselineRow } from '../store/baseline-store';
import type { CatalogStore } from '../store/catalog-store';
import { transitionKey, type TransitionStore } from '../store/transition-store';
import { AgentError } from './agent-error';
import type { IngestCounters } from '../metrics/panel-metrics';
import type { ReporterIdentity } from '../auth/reporter-identity';
import { sdkVersionText } from '../store/sdk-version';

export interface IngestDependencies {
  aggregate: Aggregate;
  catalog: CatalogStore;
  transitions: TransitionStore;
  now: () => number;
  onTransition(record: TTransitionRecord): void;
  onCommandAck(instanceId: string, ack: TCommandAck): Promise<void>;
  counters?: IngestCounters;
  /** Awaited on every registration: stores a new run's zero counters, or answers those a server stored for the run, to count on from (counter_baselines). */
  onRunRegistered?: (run: { instanceId: string; runId: string; breakerIds: string[] }) => Promise<CounterBaselineRow | null>;
  /** Loads by name an instance of a service that registered with another server (HTTP reporters behind a balancer); its id, if stored. */
  loadInstance?: (serviceId: string, name: string) => Promise<string | undefined>;
  /** Called with the overrides issued by the panel that a report says an instance still holds. */
  onHeldOverrides?: (instanceId: string, held: ReturnType<typeof heldOverrides>) => void;
  /** Which server counts an HTTP reporter's run (CLUSTER=on; counting-handover.ts): a report another server counts moves states only. */
  countingServer?: { countsElsewhere(instanceId: string): boolean; claim(instanceId: string, report: NamedReport): Promise<boolean>; runSeen(instanceId: string, runId: string): Promise<void> };
}

export type Ingest = ReturnType<typeof createIngest>;

/** Each message a reporter sends, by socket or HTTP batch: authorised against the key's service, then into the catalog and the aggregate. */
export function createIngest({ aggregate, catalog, transitions, now, onTransition, onCommandAck, counters, onRunRegistered, loadInstance, onHeldOverrides, countingServer }: IngestDependencies) {
  // Instance ids by service, then name: every report looks its instance up, and one key built of both was a new string each time.
  const instanceIds = new Map<string, Map<string, string>>();
  const remember = (serviceId: string, name: string, id: string) => instanceIds.set(serviceId, (instanceIds.get(serviceId) ?? new Map<string, string>()).set(name, id));
  const instanceIdOf = (reporter: ReporterIdentity, name: string) => instanceIds.get(reporter.serviceId)?.get(name);

  function authorise(reporter: ReporterIdentity, service: string): void {
    if (service !== reporter.serviceName) throw new AgentError('forbidden', `This API key reports for service "${reporter.serviceName}", not "${service}"`, ['service']);
  }

  function instanceOf(reporter: ReporterIdentity, name: string): string {
    const id = instanceIdOf(reporter, name);
    if (!id) throw new AgentError('not_registered', `Instance "${name}" has not registered; send instance:register first`, ['instanceId']);
    return id;
  }

  /** Creates the breakers a reporter names without having declared them. */
  async function declareMissing(reporter: ReporterIdentity, instanceId: string, names: readonly string[]): Promise<void> {
    const instance = aggregate.instances.get(instanceId)!;
    const missing = names.filter((name) => !instance.pairs.has(name));
    if (missing.length === 0) return;
    const created = await catalog.ensureBreakers(reporter.serviceId, missing);
    const declared = [...created].map(([name, breakerId]) => ({ breakerId, name, config: null }));
    aggregate.register(instance, declared, null);
  }

  // Loads under way, so that the batches and polls of one instance arriving together read it once.
  const loading = new Map<string, Promise<string | undefined>>();
  let counting = true;

  return {
    /** Makes sure this server knows the instances a request names: HTTP reporters register once, with whichever server the balancer chose. */
    async findRegistered(reporter: ReporterIdentity, names: Iterable<string>): Promise<void> {
      if (!loadInstance) return;
      for (const name of new Set(names)) {
        if (instanceIdOf(reporter, name)) continue;
        const key = `${reporter.serviceId}|${name}`;
        const load = loading.get(key) ?? loadInstance(reporter.serviceId, name).finally(() => loading.delete(key));
        loading.set(key, load);
        await load;
      }
    },

    instanceIdOf,

    /** Whether an instance of this name registered for another service than the key's. */
    registeredElsewhere(reporter: ReporterIdentity, name: string): boolean {
      for (const [serviceId, names] of instanceIds) if (serviceId !== reporter.serviceId && names.has(name)) return true;
      return false;
    },

    /** Remembers an instance known from the catalog at start, so HTTP reporters need not register again. */
    knowInstance(serviceId: string, name: string, instanceId: string): void {
      remember(serviceId, name, instanceId);
    },

    /** Checks a whole HTTP batch before any of it is applied, so a batch that would fail half-way changes nothing; returns its instances' runs by name. */
    checkBatch(reporter: ReporterIdentity, batch: { register?: TInstanceRegister; reports: TReport[]; transitions: TTransition[]; commandAcks: TCommandAck[] }): Map<string, string> {
      const runs = new Map<string, string>();
      for (const message of [...(batch.register ? [batch.register] : []), ...batch.reports, ...batch.transitions, ...batch.commandAcks]) {
        authorise(reporter, message.service);
        if (message.instanceId !== batch.register?.instanceId) instanceOf(reporter, message.instanceId);
        if (!runs.has(message.instanceId)) runs.set(message.instanceId, message.runId);
      }
      return runs;
    },

    noteTransport(instanceId: string, transport: TReporterTransport): void {
      aggregate.setTransport(instanceId, transport);
    },

    async register(reporter: ReporterIdentity, message: TInstanceRegister, transport: TReporterTransport): Promise<{ instanceId: string }> {
      authorise(reporter, message.service);
      const { instanceId: name, labels, runId, protocolVersion, sdk } = message;
      const instanceId = await catalog.upsertInstance({ serviceId: reporter.serviceId, name, labels, runId, sdkVersion: sdkVersionText(sdk), protocolVersion, startedAt: new Date(message.startedAt) });
      const ids = await catalog.upsertBreakers(reporter.serviceId, message.breakers);
      // Another server may have counted this run (its reporter moved here): counting goes on from what it stored, never from zero again.
      const stored = await onRunRegistered?.({ instanceId, runId, breakerIds: [...ids.values()] });
      // Another server took the run over while this registration waited: its handover found no socket here to let go.
      if (transport === 'socket' && countingServer?.countsElsewhere(instanceId)) throw new AgentError('unavailable', 'Another server took this run over meanwhile; register again');
      remember(reporter.serviceId, message.instanceId, instanceId);
      const identity = { id: instanceId, serviceId: reporter.serviceId, serviceName: reporter.serviceName, demo: reporter.demo, name, labels, runId };
      const declared = message.breakers.map((breaker) => ({ breakerId: ids.get(breaker.name)!, name: breaker.name, config: breaker.config }));
      aggregate.register({ ...identity, sdk: { name: sdk.name, language: sdk.language } }, declared, now());
      if (stored) aggregate.restoreCounted(stored);
      aggregate.setTransport(instanceId, transport);
      return { instanceId };
    },

    /** The server is stopping: reports are refused (`unavailable`) so that its last flush holds all it counted; another server counts on. */
    stopCounting(): void {
      counting = false;
    },

    async report(reporter: ReporterIdentity, message: NamedReport): Promise<void> {
      if (!counting) throw new AgentError('unavailable', 'This server is stopping; send the report again to another');
      authorise(reporter, message.service);
      const instanceId = instanceOf(reporter, message.instanceId);
      // Nearly every report names only breakers the instance declared; others are created first.
      if (!aggregate.knowsBreakers(instanceId, message.names)) await declareMissing(reporter, instanceId, message.names);
      // A run that registered with another server (an HTTP reporter restarted), or nowhere: the stored run says who counts it.
      if (aggregate.instances.get(instanceId)!.runId !== message.runId) await countingServer?.runSeen(instanceId, message.runId);
      const countsHere = !countingServer?.countsElsewhere(instanceId) || (await countingServer.claim(instanceId, message));
      aggregate.applyReport(instanceId, message, countsHere);
      counters?.reportReceived(message.names.length);
      if (message.numbers.heldOverrides.length > 0) onHeldOverrides?.(instanceId, heldOverrides(message));
    },

    /** Stores transitions, then applies them; a duplicate (instance, run, sequence) counts as stored, so the reporter stops replaying it. */
    async transitions(reporter: ReporterIdentity, messages: TTransition[]): Promise<void> {
      if (messages.length === 0) return;
      for (const message of messages) authorise(reporter, message.service);
      const rows = [];
      for (const message of messages) {
        const instanceId = instanceOf(reporter, message.instanceId);
        await declareMissing(reporter, instanceId, [message.breaker]);
        rows.push({ message, instanceId, breakerId: aggregate.instances.get(instanceId)!.pairs.get(message.breaker)!.breakerId });
      }
      const stored = await transitions.insertReported(
        rows.map(({ message, instanceId, breakerId }) => ({ ...message, serviceId: reporter.serviceId, breakerId, instanceId, at: new Date(message.at) })),
      );
      counters?.transitionsStored(stored.size);
      for (const { message, instanceId, breakerId } of rows) {
        const id = stored.get(transitionKey(instanceId, message.runId, message.sequence));
        if (!id) continue;
        aggregate.applyTransition(instanceId, message, breakerId);
        const { breaker, from, to, wouldBe, cause, failureRate, slowCallRate, at } = message;
        onTransition({ id, breakerId, service: reporter.serviceName, breaker, instance: message.instanceId, from, to, wouldBe, cause, failureRate, slowCallRate, at });
      }
    },

    async commandAck(reporter: ReporterIdentity, message: TCommandAck): Promise<void> {
      authorise(reporter, message.service);
      await onCommandAck(instanceOf(reporter, message.instanceId), message);
    },
  };
}
