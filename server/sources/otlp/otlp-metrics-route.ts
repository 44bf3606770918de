import type { ServerResponse } from 'node:http';
import type { TExportMetricsResponse } from '../../../lib/sources/otlp-export-response';
import { AgentError, parsePayload } from '../../ingest/agent-error';
import { agentRoute, bearerReporter } from '../../http/agent-route';
import type { ApiKeyVerifier, ReporterIdentity } from '../../auth/reporter-identity';
import { HttpError } from '../../http/http-error';
import type { Router } from '../../http/router';
import type { Logger } from '../../logger';
import type { SourceSink } from '../source-snapshot';
import { attributeText, ZExportMetricsRequest, type TExportMetricsRequest } from './otlp-metrics-request';
import { decodeMetricsRequest, encodeMetricsResponse } from './otlp-protobuf';
import type { PollyCircuitTracker } from './polly-circuit-tracker';
import { otlpEncoding, readOtlpBody, type OtlpEncoding } from './read-otlp-body';

/** OTLP/HTTP's standard metrics path (default port 4318 elsewhere; here the panel's own port). */
export const OTLP_METRICS_PATH = '/v1/metrics';

export interface OtlpMetricsRouteOptions {
  keys: ApiKeyVerifier;
  sink: SourceSink;
  /** The enabled OTLP source of the key's service, or null when the admin has added none. */
  sourceFor(reporter: ReporterIdentity): Promise<string | null>;
  tracker: PollyCircuitTracker;
  limitBytes: number;
  logger: Logger;
  now?: () => number;
}

/** OpenTelemetry SDKs name a service they were not told about `unknown_service[:process]`: that is no claim to check. */
function claimedService(request: TExportMetricsRequest, index: number): string | null {
  const name = attributeText(request.resourceMetrics[index]?.resource?.attributes ?? [], 'service.name');
  return name === null || name.startsWith('unknown_service') ? null : name;
}

function sendExportResponse(res: ServerResponse, encoding: OtlpEncoding, rejectedDataPoints: number): void {
  const answer: TExportMetricsResponse =
    rejectedDataPoints > 0 ? { partialSuccess: { rejectedDataPoints, errorMessage: `${rejectedDataPoints} circuit event data points carried no usable value` } } : {};
  const body = encoding === 'protobuf' ? Buffer.from(encodeMetricsResponse(answer.partialSuccess ?? null)) : Buffer.from(JSON.stringify(answer));
  res.writeHead(200, { 'content-type': encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * `POST /v1/metrics`: an OTLP/HTTP metrics receiver, so services that export
 * OpenTelemetry metrics (Polly's meter `Polly`, or anything with the same
 * conventions) push breakers to the panel by configuration only. The key is
 * the service's reporter API key (`Authorization: Bearer`); the body is
 * protobuf or JSON, gzip or not. The whole request is read, decoded,
 * validated and checked against the key's service before any of it is
 * applied, so a bad request (4xx naming the field) changes nothing. Error
 * answers are the reporters' JSON (`{ ok: false, error }`) whatever the
 * request's encoding.
 */
export function addOtlpMetricsRoute(router: Router, options: OtlpMetricsRouteOptions): void {
  const { keys, sink, sourceFor, tracker, limitBytes, logger, now = Date.now } = options;
  router.add(
    'POST',
    OTLP_METRICS_PATH,
    agentRoute(logger, 'OTLP metrics', async ({ req, res }) => {
      const reporter = await bearerReporter(req, keys);
      const encoding = otlpEncoding(req);
      const body = await readOtlpBody(req, limitBytes);
      let decoded: unknown;
      if (encoding === 'protobuf') {
        try {
          decoded = decodeMetricsRequest(body);
        } catch (error) {
          throw new HttpError(400, 'invalid_payload', `The body is not a protobuf ExportMetricsServiceRequest: ${error instanceof Error ? error.message : String(error)}`);
        }
      } else {
        try {
          decoded = JSON.parse(body.toString('utf8')) as unknown;
        } catch {
          throw new HttpError(400, 'invalid_json', 'The body is not valid JSON');
        }
      }
      const request = parsePayload(ZExportMetricsRequest, decoded, 'ExportMetricsServiceRequest');
      request.resourceMetrics.forEach((_, index) => {
        const claimed = claimedService(request, index);
        if (claimed !== null && claimed !== reporter.serviceName) {
          throw new AgentError('forbidden', `This API key reports for service "${reporter.serviceName}", not "${claimed}"`, ['resourceMetrics', index, 'resource', 'attributes', 'service.name']);
        }
      });
      const sourceId = await sourceFor(reporter);
      if (sourceId === null) throw new AgentError('forbidden', `No enabled OTLP source names service "${reporter.serviceName}": an admin adds one under Sources`);

      const applied = tracker.apply(request, reporter.serviceName, now());
      try {
        for (const snapshot of applied.snapshots) await sink.snapshot(sourceId, snapshot);
      } catch (error) {
        // Not stored (the database is away): the exporter retries, and its export must count again then.
        applied.rollback();
        throw error;
      }
      const { rejectedDataPoints } = applied;
      sendExportResponse(res, encoding, rejectedDataPoints);
    }),
  );
}
