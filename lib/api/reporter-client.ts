import { z } from 'zod';

/** The Node SDK's registration name (sdk/src/version.ts). */
export const NODE_SDK_NAME = '@breaker-panel/sdk';

/**
 * Which client reports an instance's breaker, as far as the panel can tell:
 * the Node SDK's own breaker, its opossum adapter, a Python client, or a plain
 * HTTP reporter; `other` for anything else that speaks the protocol.
 */
export const ZReporterClientKind = z.enum(['node-sdk', 'opossum', 'python', 'http', 'other']);

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
});

/** The client of one instance's breaker. */
export type TReporterClient = z.infer<typeof ZReporterClient>;

/** Derives the client from the registration's `sdk`, the breaker's `implementation` and the transport. */
export function reporterClient(sdk: { name: string; language: string } | null, implementation: string | null, transport: TReporterTransport | null): TReporterClient {
  const described = sdk ? `${sdk.name} ${sdk.language}` : null;
  if (sdk?.name === NODE_SDK_NAME) return { kind: implementation === 'opossum' ? 'opossum' : 'node-sdk', sdk: described, transport };
  if (sdk?.language.toLowerCase() === 'python') return { kind: 'python', sdk: described, transport };
  return { kind: transport === 'http' ? 'http' : 'other', sdk: described, transport };
}
