import type { Queryable } from './queryable';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TLabels } from '../../lib/protocol/identity.js';

export interface InstanceUpsert {
  serviceId: string;
  name: string;
  labels: TLabels;
  runId: string;
  sdkVersion: string;
  protocolVersion: number;
  startedAt: Date;
}

/** The catalog of services, instances and breakers, upserted as reporters declare them. */
export interface CatalogStore {
  upsertService(name: string): Promise<string>;
  upsertInstance(instance: InstanceUpsert): Promise<string>;
  /** Inserts or updates breakers with their configuration; returns every id by name. */
  upsertBreakers(serviceId: string, breakers: Array<{ name: string; config: TBreakerConfig }>): Promise<Map<string, string>>;
  /** Makes sure breakers exist (for a report or transition naming one not registered); returns ids by name. */
  ensureBreakers(serviceId: string, names: string[]): Promise<Map<string, string>>;
  touchInstances(seen: Array<{ id: string; lastSeenAt: Date; droppedTransitions: number }>): Promise<void>;
}

export function createCatalogStore(pool: Queryable): CatalogStore {
  return {
    async upsertService(name) {
      const result = await pool.query<{ id: string }>('INSERT INTO services (name) VALUES ($1) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id', [name]);
      return result.rows[0]!.id;
    },

    async upsertInstance(instance) {
      // One statement: the instance, and its run with the labels it came with (the
      // history's deploy markers); a re-registration of the same run adds nothing.
      const result = await pool.query<{ id: string }>(
        `WITH upserted AS (
           INSERT INTO instances (service_id, name, labels, run_id, sdk_version, protocol_version, started_at, last_seen_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, now())
           ON CONFLICT (service_id, name) DO UPDATE SET labels = EXCLUDED.labels, run_id = EXCLUDED.run_id,
             sdk_version = EXCLUDED.sdk_version, protocol_version = EXCLUDED.protocol_version,
             started_at = EXCLUDED.started_at, last_seen_at = now()
           RETURNING id),
         run AS (
           INSERT INTO instance_runs (instance_id, run_id, labels, started_at)
           SELECT id, $4, $3, $7 FROM upserted ON CONFLICT DO NOTHING)
         SELECT id FROM upserted`,
        [instance.serviceId, instance.name, JSON.stringify(instance.labels), instance.runId, instance.sdkVersion, instance.protocolVersion, instance.startedAt],
      );
      return result.rows[0]!.id;
    },

    async upsertBreakers(serviceId, breakers) {
      if (breakers.length === 0) return new Map();
      // One statement for the whole list: registration of a 10,000-breaker instance stays one round trip.
      const result = await pool.query<{ id: string; name: string }>(
        `INSERT INTO breakers (service_id, name, config)
         SELECT $1, name, config FROM unnest($2::text[], $3::jsonb[]) AS b(name, config)
         ON CONFLICT (service_id, name) DO UPDATE SET config = EXCLUDED.config, updated_at = now()
         RETURNING id, name`,
        [serviceId, breakers.map((breaker) => breaker.name), breakers.map((breaker) => JSON.stringify(breaker.config))],
      );
      return new Map(result.rows.map((row) => [row.name, row.id]));
    },

    async ensureBreakers(serviceId, names) {
      if (names.length === 0) return new Map();
      const result = await pool.query<{ id: string; name: string }>(
        `WITH inserted AS (
           INSERT INTO breakers (service_id, name) SELECT $1, unnest($2::text[])
           ON CONFLICT (service_id, name) DO NOTHING RETURNING id, name)
         SELECT id, name FROM inserted
         UNION ALL SELECT id, name FROM breakers WHERE service_id = $1 AND name = ANY($2::text[])`,
        [serviceId, names],
      );
      return new Map(result.rows.map((row) => [row.name, row.id]));
    },

    async touchInstances(seen) {
      if (seen.length === 0) return;
      await pool.query(
        `UPDATE instances AS i SET last_seen_at = s.last_seen_at, dropped_transitions = s.dropped
         FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[]) AS s(id, last_seen_at, dropped)
         WHERE i.id = s.id`,
        [seen.map((item) => item.id), seen.map((item) => item.lastSeenAt), seen.map((item) => item.droppedTransitions)],
      );
    },
  };
}
