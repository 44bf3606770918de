import type { Server } from 'socket.io';
import {
  AGENT_NAMESPACE,
  type AgentClientToServerEvents,
  type AgentServerToClientEvents,
  type TAgentHandshakeAuth,
} from '../../lib/protocol/agent-events.js';
import { ZCommandAck } from '../../lib/protocol/command.js';
import { ZInstanceRegister } from '../../lib/protocol/instance-register.js';
import { ZTransition } from '../../lib/protocol/transition.js';
import type { Logger } from '../logger';
import { typedNamespace } from '../socket-namespace';
import { acknowledged, validated } from './acknowledged';
import { DecodedReport } from './agent-packet-decoder';
import { decodeReport } from './decode-report';
import type { PackedReport } from './packed-report';
import { AgentError } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';
import type { Ingest } from './ingest';
import type { ApiKeyVerifier, ReporterIdentity } from './reporter-identity';

/** What the server keeps on an authenticated reporter socket. */
export interface AgentSocket {
  reporter: ReporterIdentity;
  /** Set once `instance:register` succeeded on this connection. */
  instanceId: string | null;
}

export type AgentNamespace = ReturnType<typeof createAgentNamespace>;

/** A report the packet decoder decoded (agent-packet-decoder.ts), or a payload still to decode here. */
const reportPayload = (payload: unknown): Promise<PackedReport> | PackedReport => (payload instanceof DecodedReport ? payload.outcome : decodeReport(payload));

export const keyRoom = (keyId: string) => `key:${keyId}`;
export const instanceRoom = (instanceId: string) => `instance:${instanceId}`;

/**
 * The reporters' namespace: an API key in the handshake decides the one
 * service a connection may report for. A bad message is answered with an
 * error acknowledgement; the connection stays up.
 */
export function createAgentNamespace(
  io: Server,
  { ingest, keys, logger, onRegistered, onRejected }: { ingest: Ingest; keys: ApiKeyVerifier; logger: Logger; onRegistered(instanceId: string): void; onRejected?: (code: string) => void },
) {
  const namespace = typedNamespace<AgentClientToServerEvents, AgentServerToClientEvents, AgentSocket>(io, AGENT_NAMESPACE);

  namespace.use((socket, next) => {
    const auth = socket.handshake.auth as Partial<TAgentHandshakeAuth>;
    const refuse = (error: AgentError) => next(Object.assign(new Error(error.message), { data: error.toAck() }));
    try {
      checkProtocolVersion(auth);
    } catch (error) {
      return refuse(error as AgentError);
    }
    if (typeof auth.apiKey !== 'string' || auth.apiKey.length === 0) return refuse(new AgentError('unauthorized', 'An API key is required in the handshake auth (apiKey)'));
    keys.verify(auth.apiKey).then(
      (reporter) => {
        if (!reporter) return refuse(new AgentError('unauthorized', 'The API key is unknown or revoked'));
        socket.data = { reporter, instanceId: null };
        void socket.join(keyRoom(reporter.keyId));
        next();
      },
      (error: unknown) => {
        logger.error({ err: error }, 'API key check failed');
        refuse(new AgentError('unavailable', 'The server cannot check keys right now; retry later'));
      },
    );
  });

  namespace.on('connection', (socket) => {
    const { reporter } = socket.data;
    socket.on(
      'instance:register',
      acknowledged(validated(ZInstanceRegister, 'instance:register'), 'instance:register', logger, async (message) => {
        const { instanceId } = await ingest.register(reporter, message, 'socket');
        if (socket.data.instanceId && socket.data.instanceId !== instanceId) void socket.leave(instanceRoom(socket.data.instanceId));
        socket.data.instanceId = instanceId;
        await socket.join(instanceRoom(instanceId));
        onRegistered(instanceId);
        return { serverTime: Date.now() };
      }, onRejected),
    );
    // Reports are most of the traffic: usually decoded already, by the packet decoder (agent-packet-decoder.ts).
    socket.on('report:send', acknowledged(reportPayload, 'report:send', logger, async (message) => (await ingest.report(reporter, await message), null), onRejected));
    socket.on('transition:report', acknowledged(validated(ZTransition, 'transition:report'), 'transition:report', logger, async (message) => (await ingest.transitions(reporter, [message]), null), onRejected));
    socket.on('command:ack', acknowledged(validated(ZCommandAck, 'command:ack'), 'command:ack', logger, async (message) => (await ingest.commandAck(reporter, message), null), onRejected));
  });

  return {
    namespace,
    /** Closes every connection made with a key, at once (after it was revoked). */
    disconnectKey(keyId: string): void {
      namespace.in(keyRoom(keyId)).disconnectSockets(true);
    },
  };
}
