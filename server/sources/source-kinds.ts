import type { TSourceKind } from '../../lib/sources/source';
import { actuatorSource } from './actuator/actuator-source';
import { HYSTRIX_KIND } from './hystrix/hystrix-kind';
import { OTLP_KIND } from './otlp/otlp-kind';
import { prometheusSource } from './prometheus/prometheus-source';
import type { SourceKindDefinition } from './source-adapter';

/** The kinds of source this server reads, by the `kind` stored in the sources table. */
export const SOURCE_KINDS: Partial<Record<TSourceKind, SourceKindDefinition>> = {
  actuator: actuatorSource,
  prometheus: prometheusSource,
  hystrix: HYSTRIX_KIND,
  otlp: OTLP_KIND,
};
