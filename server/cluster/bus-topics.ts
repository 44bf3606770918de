import { z } from 'zod';
import { ZCommand } from '../../lib/protocol/command.js';

/**
 * The messages servers send each other over the cluster bus, one schema per
 * topic: a message that does not parse (another version mid-upgrade, a bug)
 * is logged and dropped, never half-applied.
 */
export const busTopics = {
  /** An operator's command for instances this server does not hold: whichever server holds one delivers it there. */
  'command.deliver': z.object({
    breakerId: z.uuid(),
    targets: z.array(z.object({ instanceId: z.uuid(), name: z.string(), command: ZCommand })).min(1),
  }),
  /** An instance acknowledged a command on this server: the others drop it from that instance's HTTP mailbox. */
  'command.acknowledged': z.object({ instanceId: z.uuid(), runId: z.string().min(1).max(200), commandId: z.string().min(1).max(200) }),
  /** An override started, ended or expired on one server: the others show it and stop releasing it on their instances. */
  'override.changed': z.object({ breakerId: z.uuid() }),
  /** Another server (`to`) counts an instance's run from now: the server `from`, which counted it till now, writes what it counted, then answers. */
  'counting.handover': z.object({ instanceId: z.uuid(), runId: z.string().min(1).max(200), from: z.string(), to: z.string().default(''), requestId: z.uuid() }),
  /** The answer: everything counted of that run is written. */
  'counting.handedOver': z.object({ requestId: z.uuid() }),
} as const;

export type BusTopic = keyof typeof busTopics;
export type BusBody<T extends BusTopic> = z.infer<(typeof busTopics)[T]>;
