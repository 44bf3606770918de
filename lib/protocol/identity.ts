import { z } from 'zod';
import { ZText } from './storable.js';
import { ZProtocolVersion } from './version.js';

/** Names of services, instances and breakers: short, non-empty, storable text (storable.ts). */
export const ZName = ZText.min(1).max(200);

/** Operator-facing labels of an instance (region, zone, version…), used to scope commands. */
export const ZLabels = z.record(ZText.min(1).max(100), ZText.max(200)).refine((labels) => Object.keys(labels).length <= 32, { message: 'at most 32 labels' });

/** Instance labels: string keys to string values. */
export type TLabels = z.infer<typeof ZLabels>;

/**
 * Who sent a message: carried by every message an instance sends, so that each
 * stands alone (the HTTP batch form has no connection to hang identity on).
 * `runId` is fresh per process start: sequence numbers restart with it, and
 * (instanceId, runId, sequence) identifies a message for deduplication.
 */
export const ZInstanceRef = z.object({
  protocolVersion: ZProtocolVersion,
  service: ZName,
  instanceId: ZName,
  runId: ZText.min(8).max(100),
});

/** Who sent a message. */
export type TInstanceRef = z.infer<typeof ZInstanceRef>;
