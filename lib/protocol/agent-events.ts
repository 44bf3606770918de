import type { TAck } from './ack.js';
import type { TReport } from './breaker-report.js';
import type { TCommand, TCommandAck } from './command.js';
import type { TCompactReport } from './compact-report.js';
import type { TInstanceRef } from './identity.js';
import type { TInstanceRegister, TRegisterResult } from './instance-register.js';
import type { TTransition } from './transition.js';

/** The Socket.IO namespace reporters connect to. */
export const AGENT_NAMESPACE = '/agent';

/**
 * What a reporter puts in the Socket.IO handshake `auth`: the API key (bound
 * to one service) and the protocol version, so a mismatch is refused at connect.
 */
export interface TAgentHandshakeAuth {
  apiKey: string;
  protocolVersion: number;
}

/** Acknowledgement callback of an agent event. */
export type AgentAckCallback<TData> = (ack: TAck<TData>) => void;

/** Events an instance sends; each is acknowledged through the callback. */
export interface AgentClientToServerEvents {
  'instance:register': (payload: TInstanceRegister, ack: AgentAckCallback<TRegisterResult>) => void;
  /** The compact report on a version 2 connection; the full report (deprecated) on a version 1 connection. */
  'report:send': (payload: TCompactReport | TReport, ack: AgentAckCallback<null>) => void;
  /** Acknowledged only after the transition is stored. */
  'transition:report': (payload: TTransition, ack: AgentAckCallback<null>) => void;
  'command:ack': (payload: TCommandAck, ack: AgentAckCallback<null>) => void;
}

/** Events the server sends to an instance. */
export interface AgentServerToClientEvents {
  'command:apply': (payload: TCommand) => void;
}

/** Events between server processes on the agent namespace (none: the adapter carries commands). */
export type AgentInterServerEvents = Record<string, never>;

/** What the server keeps on an authenticated agent socket (`socket.data`). */
export interface AgentSocketData {
  /** The service the API key is bound to. */
  service: string;
  /** Set once `instance:register` succeeded. */
  instance: TInstanceRef | null;
}
