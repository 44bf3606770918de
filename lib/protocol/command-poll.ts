import { z } from 'zod';
import { ZCommand } from './command.js';
import { ZName } from './identity.js';

/** The longest a long poll for commands may wait, in milliseconds. */
export const MAX_COMMAND_WAIT_MS = 30_000;

/** How long a long poll waits when `waitMs` is not given. */
export const DEFAULT_COMMAND_WAIT_MS = 25_000;

/**
 * `GET /api/v1/commands` query: the instance (its `instanceId`, as it
 * registered under the API key's service) and how long to wait for a command
 * before answering with none.
 */
export const ZCommandPollQuery = z.object({
  instanceId: ZName,
  waitMs: z.coerce.number().int().min(0).max(MAX_COMMAND_WAIT_MS).default(DEFAULT_COMMAND_WAIT_MS),
});

/** `GET /api/v1/commands` query. */
export type TCommandPollQuery = z.infer<typeof ZCommandPollQuery>;

/**
 * `GET /api/v1/commands` 200 response data: every command the instance has not
 * acknowledged yet, oldest first, in the `command:apply` form. Apply each id at
 * most once and acknowledge it in the next batch (`commandAcks`).
 */
export const ZCommandPollResult = z.object({
  commands: z.array(ZCommand),
});

/** `GET /api/v1/commands` response data. */
export type TCommandPollResult = z.infer<typeof ZCommandPollResult>;
