import { z } from 'zod';

/** The Node SDK's registration name (sdk/src/version.ts). */
export const NODE_SDK_NAME = '@breaker-panel/sdk';

/**
 * The registration `sdk.name` of instances the panel reads itself through a
 * source (server/sources): `breaker-panel-source:<kind>`, with `:read-only`
 * appended when the panel cannot steer its breakers.
 */
export const SOURCE_SDK_PREFIX = 'breaker-panel-source:';
export const READ_ONLY_SUFFIX = ':read-only';

/** Clients that are sources the panel reads: a Resilience4j actuator, a Prometheus scrape, a Hystrix stream, OTLP metrics. */
export const SOURCE_CLIENT_KINDS = ['resilience4j-actuator', 'prometheus', 'hystrix', 'otlp'] as const;

/** A source client kind. */
export type TSourceClientKind = (typeof SOURCE_CLIENT_KINDS)[number];

/**
 * Which client reports an instance's breaker, as far as the panel can tell:
 * the Node SDK's own breaker, its opossum adapter, a Python client, or a plain
 * HTTP reporter; `other` for anything else that speaks the protocol; or one
 * of the sources the panel reads itself (SOURCE_CLIENT_KINDS).
 */
export const ZReporterClientKind = z.enum(['node-sdk', 'opossum', 'python', 'http', 'other', ...SOURCE_CLIENT_KINDS]);

/** Which client reports an instance's breaker. */
export type TReporterClientKind = z.infer<typeof ZReporterClientKind>;

/** How the instance reaches this server: a socket (commands are pushed) or HTTP (commands are fetched). */
export const ZReporterTransport = z.enum(['socket', 'http']);

/** How the instance reaches this server. */
export type TReporterTransport = z.infer<typeof ZReporterTransport>;

/** The client of one instance's breaker and its transport; null transport when it has not reached this server since it started. */
export const ZReporterClient = z.object({
  kind: ZReporterClientKind,
  /** The registration's `sdk`, as "name language" (e.g. "@breaker-panel/sdk typescript"); null when it never registered. */
  sdk: z.string().nullable(),
  transport: ZReporterTransport.nullable(),
  /** The panel can only watch this instance's breaker (a scrape, a stream, pushed metrics): operator actions leave it out. */
  readOnly: z.boolean(),
});

/** The client of one instance's breaker. */
export type TReporterClient = z.infer<typeof ZReporterClient>;

/** The source kind and writability a registration's `sdk.name` names, or null when it is no source. */
export function sourceClientOf(sdkName: string): { kind: TSourceClientKind; readOnly: boolean } | null {
  if (!sdkName.startsWith(SOURCE_SDK_PREFIX)) return null;
  const rest = sdkName.slice(SOURCE_SDK_PREFIX.length);
  const readOnly = rest.endsWith(READ_ONLY_SUFFIX);
  const kind = readOnly ? rest.slice(0, -READ_ONLY_SUFFIX.length) : rest;
  const known = SOURCE_CLIENT_KINDS.find((item) => item === kind);
  // Only an actuator can be steered: any other source kind is read-only whatever its name says.
  return known ? { kind: known, readOnly: readOnly || known !== 'resilience4j-actuator' } : null;
}

/** The registration `sdk.name` of a source instance. */
export const sourceSdkName = (kind: TSourceClientKind, readOnly: boolean) => `${SOURCE_SDK_PREFIX}${kind}${readOnly ? READ_ONLY_SUFFIX : ''}`;

/** Derives the client from the registration's `sdk`, the breaker's `implementation` and the transport. */
export function reporterClient(sdk: { name: string; language: string } | null, implementation: string | null, transport: TReporterTransport | null): TReporterClient {
  const described = sdk ? `${sdk.name} ${sdk.language}` : null;
  const source = sdk ? sourceClientOf(sdk.name) : null;
  if (source) return { kind: source.kind, sdk: described, transport, readOnly: source.readOnly };
  if (sdk?.name === NODE_SDK_NAME) return { kind: implementation === 'opossum' ? 'opossum' : 'node-sdk', sdk: described, transport, readOnly: false };
  if (sdk?.language.toLowerCase() === 'python') return { kind: 'python', sdk: described, transport, readOnly: false };
  return { kind: transport === 'http' ? 'http' : 'other', sdk: described, transport, readOnly: false };
}

/** Whether a client kind is a source the panel can only watch. */
export const isReadOnlyKind = (kind: TReporterClientKind) => kind === 'prometheus' || kind === 'hystrix' || kind === 'otlp';
