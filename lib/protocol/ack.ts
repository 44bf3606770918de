import { z } from 'zod';

/** Machine-readable error codes of agent acknowledgements and HTTP ingest errors. */
export const ZAgentErrorCode = z.enum([
  /** The payload failed validation; `path` names the field. Not retried. */
  'invalid_payload',
  /** The message's protocolVersion is not one the server speaks. Not retried. */
  'unsupported_protocol_version',
  /** Missing, unknown or revoked API key. */
  'unauthorized',
  /** The key is valid but not for this service. */
  'forbidden',
  /** A report or transition arrived before `instance:register` on this connection. Retried after registering. */
  'not_registered',
  /** The payload is larger than the server accepts. Not retried. */
  'payload_too_large',
  /** The server is overloaded or the store is down: retry later. */
  'unavailable',
  /** Anything else; no internal detail is ever included. Retried. */
  'internal',
]);

/** An agent error code. */
export type TAgentErrorCode = z.infer<typeof ZAgentErrorCode>;

/** The error half of an acknowledgement. */
export const ZAckError = z.object({
  code: ZAgentErrorCode,
  message: z.string(),
  /** The failing field for `invalid_payload`, as a JSON path of keys and indexes. */
  path: z.array(z.union([z.string(), z.number()])).optional(),
});

/** The error half of an acknowledgement. */
export type TAckError = z.infer<typeof ZAckError>;

/** Every acknowledgement: `{ ok: true, data }` or `{ ok: false, error }`. */
export type TAck<TData> = { ok: true; data: TData } | { ok: false; error: TAckError };

/** The schema of an acknowledgement carrying `data` of the given schema. */
export function ZAck<TData extends z.ZodType>(data: TData) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data }), z.object({ ok: z.literal(false), error: ZAckError })]);
}

/** Error codes worth retrying: the same message may succeed later. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<TAgentErrorCode> = new Set<TAgentErrorCode>(['not_registered', 'unavailable', 'internal']);
