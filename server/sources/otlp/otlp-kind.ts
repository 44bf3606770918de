import type { SourceKindDefinition } from '../source-adapter';

/**
 * OTLP metrics pushed to `POST /v1/metrics` (otlp-metrics-route.ts): the
 * source row names the service whose reporter key may push, and its poll
 * interval stands for the exporter's interval (how long a push holds its
 * instances live). Nothing to start: the services come to the panel.
 */
export const OTLP_KIND: SourceKindDefinition = {
  clientKind: 'otlp',
  // Polly is .NET; any OpenTelemetry SDK may push the same conventions, so the registration names the protocol.
  language: 'opentelemetry',
  start() {
    return { stop() {} };
  },
};
