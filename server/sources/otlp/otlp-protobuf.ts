import generated from '@opentelemetry/otlp-transformer/build/src/generated/root.js';

/**
 * OTLP's protobuf messages as the OpenTelemetry JS project generates them
 * from opentelemetry-proto (protobufjs static code shipped in
 * @opentelemetry/otlp-transformer up to 0.216): the receiver decodes with
 * the project's own definitions rather than a hand-written reader. The
 * package types the generated root loosely, so the two messages used here
 * are typed at this boundary.
 */
interface GeneratedMessage {
  decode(bytes: Uint8Array): object;
  encode(message: object): { finish(): Uint8Array };
  fromObject(object: Record<string, unknown>): object;
  toObject(message: object, options: { longs: StringConstructor; enums: NumberConstructor; bytes: StringConstructor; defaults: boolean; arrays: boolean }): Record<string, unknown>;
}

interface MetricsService {
  ExportMetricsServiceRequest: GeneratedMessage;
  ExportMetricsServiceResponse: GeneratedMessage;
}

function metricsService(): MetricsService {
  const root = generated as unknown as { opentelemetry?: { proto?: { collector?: { metrics?: { v1?: Partial<MetricsService> } } } } };
  const service = root.opentelemetry?.proto?.collector?.metrics?.v1;
  if (!service?.ExportMetricsServiceRequest || !service.ExportMetricsServiceResponse) throw new Error('@opentelemetry/otlp-transformer does not ship the generated OTLP metrics messages');
  return service as MetricsService;
}

const messages = metricsService();

/**
 * A protobuf `ExportMetricsServiceRequest` as the plain object OTLP/JSON
 * would have given (camelCase keys, 64-bit integers as decimal strings,
 * enums as numbers), so one schema validates both encodings. Throws on
 * bytes that are not such a message.
 */
export function decodeMetricsRequest(bytes: Uint8Array): Record<string, unknown> {
  const message = messages.ExportMetricsServiceRequest.decode(bytes);
  return messages.ExportMetricsServiceRequest.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false, arrays: true });
}

/** A protobuf `ExportMetricsServiceResponse`, with a partial success when some data points were rejected. */
export function encodeMetricsResponse(partialSuccess: { rejectedDataPoints: number; errorMessage: string } | null): Uint8Array {
  const message = messages.ExportMetricsServiceResponse.fromObject(partialSuccess ? { partialSuccess } : {});
  return messages.ExportMetricsServiceResponse.encode(message).finish();
}

/** A protobuf `ExportMetricsServiceRequest` from its OTLP/JSON form (used by tests to build protobuf bodies by hand). */
export function encodeMetricsRequest(request: Record<string, unknown>): Uint8Array {
  return messages.ExportMetricsServiceRequest.encode(messages.ExportMetricsServiceRequest.fromObject(request)).finish();
}
