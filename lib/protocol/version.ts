import { z } from 'zod';

/**
 * The version of the agent wire protocol this code speaks. Every message
 * carries it, so a server can refuse what it does not understand with a clear
 * error instead of misreading it. Bump it on any incompatible change.
 */
export const PROTOCOL_VERSION = 1;

/** The `protocolVersion` field every agent message carries. */
export const ZProtocolVersion = z.literal(PROTOCOL_VERSION);

/** The protocol version as a type (a literal, so a mismatch fails to compile). */
export type TProtocolVersion = z.infer<typeof ZProtocolVersion>;
