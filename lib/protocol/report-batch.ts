import { z } from 'zod';
import { ZReport } from './breaker-report.js';
import { ZCommand, ZCommandAck } from './command.js';
import { ZInstanceRegister } from './instance-register.js';
import { ZTransition } from './transition.js';
import { ZProtocolVersion } from './version.js';

/**
 * `POST /api/v1/reports` body — the socket messages, batched, for reporters
 * that cannot hold a socket. Each message is exactly what would be emitted on
 * the socket. Send `register` in the first batch of a run and whenever the
 * breakers change; the server applies register, then transitions, reports and
 * command acks, in that order.
 */
export const ZReportBatch = z.object({
  protocolVersion: ZProtocolVersion,
  register: ZInstanceRegister.optional(),
  reports: z.array(ZReport).max(100).default([]),
  transitions: z.array(ZTransition).max(10_000).default([]),
  commandAcks: z.array(ZCommandAck).max(1_000).default([]),
});

/** `POST /api/v1/reports` body (input form: the arrays may be omitted). */
export type TReportBatch = z.input<typeof ZReportBatch>;

/**
 * `POST /api/v1/reports` 200 response data: which transitions are stored (so
 * the reporter can drop them from its buffer) and the commands in force for
 * this instance, which an HTTP reporter applies and acknowledges in its next
 * batch, exactly as it would over the socket.
 */
export const ZReportBatchResult = z.object({
  storedTransitions: z.array(z.number().int().positive()),
  commands: z.array(ZCommand),
});

/** `POST /api/v1/reports` response data. */
export type TReportBatchResult = z.infer<typeof ZReportBatchResult>;
