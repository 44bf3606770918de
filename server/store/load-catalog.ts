import { ZBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import { ZLabels } from '../../lib/protocol/identity.js';
import type { Ingest } from '../ingest/ingest';
import { createBaselineStore } from './baseline-store';
import { sdkOf } from './sdk-version';
import type { Queryable } from './queryable';
import type { Aggregate } from '../aggregate/aggregate';

const configOrNull = (value: unknown) => {
  const parsed = ZBreakerConfig.safeParse(value);
  return parsed.success ? parsed.data : null;
};

interface InstanceRow {
  id: string;
  service_id: string;
  service: string;
  is_demo: boolean;
  name: string;
  labels: unknown;
  run_id: string | null;
  sdk_version: string | null;
  last_seen_at: Date;
}

interface StateRow {
  breaker_id: string;
  instance_id: string;
  state: TBreakerState;
  would_be: TBreakerState | null;
  state_since: Date;
  config: unknown;
}

const INSTANCES = 'SELECT i.id, i.service_id, s.name AS service, s.is_demo, i.name, i.labels, i.run_id, i.sdk_version, i.last_seen_at FROM instances i JOIN services s ON s.id = i.service_id';
const STATES = 'SELECT breaker_id, instance_id, state, would_be, state_since, config FROM breaker_instance_states';

/** Declares a stored instance with its breakers' last states, and makes it known to ingest by name. */
function registerStored(aggregate: Aggregate, ingest: Ingest, row: InstanceRow, states: StateRow[], breakerNames: ReadonlyMap<string, string>): void {
  const labels = ZLabels.safeParse(row.labels);
  aggregate.register(
    { id: row.id, serviceId: row.service_id, serviceName: row.service, demo: row.is_demo, name: row.name, labels: labels.success ? labels.data : {}, runId: row.run_id, sdk: sdkOf(row.sdk_version) },
    states.map((state) => ({ breakerId: state.breaker_id, name: breakerNames.get(state.breaker_id) ?? '', config: configOrNull(state.config) })).filter((item) => item.name),
    row.last_seen_at.getTime(),
    'catalog',
  );
  for (const state of states) aggregate.restorePair(row.id, state.breaker_id, state.state, state.would_be, state.state_since.getTime(), configOrNull(state.config));
  ingest.knowInstance(row.service_id, row.name, row.id);
}

/**
 * Fills a fresh aggregate from the catalog and the last stored states, so a
 * restarted server shows every breaker at once (its instances stale until
 * they report again), knows HTTP reporters without a new registration, and
 * counts each run on from the counters stored for it.
 */
export async function loadCatalog(db: Queryable, aggregate: Aggregate, ingest: Ingest): Promise<{ instances: number; breakers: number }> {
  const breakers = await db.query<{ id: string; service_id: string; service: string; name: string; config: unknown }>(
    'SELECT b.id, b.service_id, s.name AS service, b.name, b.config FROM breakers b JOIN services s ON s.id = b.service_id',
  );
  for (const row of breakers.rows) aggregate.declareBreaker(row.id, row.service_id, row.service, row.name, configOrNull(row.config));
  const breakerNames = new Map(breakers.rows.map((row) => [row.id, row.name]));

  const instances = await db.query<InstanceRow>(INSTANCES);
  const states = await db.query<StateRow>(STATES);
  const statesByInstance = new Map<string, StateRow[]>();
  for (const row of states.rows) statesByInstance.set(row.instance_id, [...(statesByInstance.get(row.instance_id) ?? []), row]);

  for (const row of instances.rows) registerStored(aggregate, ingest, row, statesByInstance.get(row.id) ?? [], breakerNames);
  // After the instances' runs are known.
  for (const baseline of await createBaselineStore(db).load()) aggregate.restoreCounted(baseline);
  return { instances: instances.rowCount ?? 0, breakers: breakers.rowCount ?? 0 };
}

/**
 * One instance that registered with another server after this one loaded
 * the catalog (an HTTP reporter whose batches a balancer spreads over the
 * servers), loaded the same way. Returns its id, or undefined when the
 * service has no instance of that name.
 */
export async function loadInstance(db: Queryable, aggregate: Aggregate, ingest: Ingest, serviceId: string, name: string): Promise<string | undefined> {
  const found = await db.query<InstanceRow>(`${INSTANCES} WHERE i.service_id = $1 AND i.name = $2`, [serviceId, name]);
  const row = found.rows[0];
  if (!row) return undefined;
  const breakers = await db.query<{ id: string; service_id: string; service: string; name: string; config: unknown }>(
    'SELECT b.id, b.service_id, s.name AS service, b.name, b.config FROM breakers b JOIN services s ON s.id = b.service_id WHERE b.service_id = $1',
    [serviceId],
  );
  for (const breaker of breakers.rows) aggregate.declareBreaker(breaker.id, breaker.service_id, breaker.service, breaker.name, configOrNull(breaker.config));
  const states = await db.query<StateRow>(`${STATES} WHERE instance_id = $1`, [row.id]);
  registerStored(aggregate, ingest, row, states.rows, new Map(breakers.rows.map((breaker) => [breaker.id, breaker.name])));
  for (const baseline of await createBaselineStore(db).load(row.id)) aggregate.restoreCounted(baseline);
  return row.id;
}
