import type { TSourceKind } from '../../lib/sources/source';
import { actuatorSource } from './actuator/actuator-source';
import { prometheusSource } from './prometheus/prometheus-source';
import type { SourceKindDefinition } from './source-adapter';

/** The kinds of source this server reads, by the `kind` stored in the sources table. */
export const SOURCE_KINDS: Partial<Record<TSourceKind, SourceKindDefinition>> = {
  actuator: actuatorSource,
  prometheus: prometheusSource,
};
