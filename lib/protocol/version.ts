import { z } from 'zod';

/**
 * The version of the agent wire protocol this code speaks. Every message
 * carries it, so a server can refuse what it does not understand with a clear
 * error instead of misreading it. Bump it on any incompatible change.
 *
 * Version 2 changed only `report:send` on a connection: the compact report
 * (compact-report.ts). Everything else is the same in both versions.
 */
export const PROTOCOL_VERSION = 2;

/**
 * The oldest version a server still accepts. Version 1 (full reports, with
 * names and identity in every report) is deprecated and goes with the next
 * release.
 */
export const OLDEST_PROTOCOL_VERSION = 1;

/** The versions a server accepts. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1, 2];

/** The `protocolVersion` field every agent message carries. */
export const ZProtocolVersion = z.union([z.literal(1), z.literal(2)]);

/** A protocol version as a type. */
export type TProtocolVersion = z.infer<typeof ZProtocolVersion>;

/**
 * The version commands are stamped with. `command:apply` is the same in
 * every supported version, so the panel stamps the oldest: a reporter of any
 * supported version accepts it.
 */
export const COMMAND_PROTOCOL_VERSION: TProtocolVersion = OLDEST_PROTOCOL_VERSION;
