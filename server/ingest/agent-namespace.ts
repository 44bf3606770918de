import type { Server } from 'socket.io';
import { AGENT_NAMESPACE, type AgentClientToServerEvents, type AgentServerToClientEvents, type TAgentHandshakeAuth } from '../../lib/protocol/agent-events.js';
import { ZReport } from '../../lib/protocol/breaker-report.js';
import { ZCommandAck } from '../../lib/protocol/command.js';
import { ZCompactReport } from '../../lib/protocol/compact-report.js';
import { ZInstanceRegister } from '../../lib/protocol/instance-register.js';
import { ZTransition } from '../../lib/protocol/transition.js';
import type { Logger } from '../logger';
import { typedNamespace } from '../socket-namespace';
import { acknowledged, validated, type PayloadDecoder } from './acknowledged';
import { nameFullReport, type NamedReport, type RegistrationContext } from './named-report';
import { AgentError, invalidPayload } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';
import type { Ingest } from './ingest';
import type { ApiKeyVerifier, ReporterIdentity } from './reporter-identity';

/** What the server keeps on an authenticated reporter socket. */
export interface AgentSocket {
  reporter: ReporterIdentity;
  /** The protocol version of the handshake: it decides the form of `report:send`. */
  protocolVersion: number;
  /** Set once `instance:register` succeeded on this connection. */
  instanceId: string | null;
  /** What the last registration says of the compact reports that follow it. */
  registration: RegistrationContext | null;
}

export type AgentNamespace = ReturnType<typeof createAgentNamespace>;

const fullReport = validated(ZReport, 'report:send');

/** `report:send` of a version 2 connection: the compact report, read against the connection's registration. */
function compactReport(socket: { data: AgentSocket }): PayloadDecoder<NamedReport> {
  return (payload) => {
    const parsed = ZCompactReport.safeParse(payload);
    if (!parsed.success) throw invalidPayload(parsed.error, 'report:send');
    const registration = socket.data.registration;
    if (!registration) throw new AgentError('not_registered', 'Send instance:register before reports on this connection', []);
    const breakers = parsed.data.state.length;
    if (breakers !== registration.names.length) {
      throw new AgentError('invalid_payload', `Invalid report:send: state has ${breakers} entries, the registration ${registration.names.length} breakers`, ['state']);
    }
    return { ...registration, numbers: parsed.data };
  };
}

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
    let protocolVersion: number;
    try {
      protocolVersion = checkProtocolVersion(auth);
    } catch (error) {
      return refuse(error as AgentError);
    }
    if (typeof auth.apiKey !== 'string' || auth.apiKey.length === 0) return refuse(new AgentError('unauthorized', 'An API key is required in the handshake auth (apiKey)'));
    keys.verify(auth.apiKey).then(
      (reporter) => {
        if (!reporter) return refuse(new AgentError('unauthorized', 'The API key is unknown or revoked'));
        socket.data = { reporter, protocolVersion, instanceId: null, registration: null };
        void socket.join(keyRoom(reporter.keyId));
        next();
      },
      (error: unknown) => {
        logger.error({ err: error }, 'API key check failed');
        refuse(new AgentError('unavailable', 'The server cannot check keys right now; retry later'));
      },
    );
  });

  // Services still speaking version 1, warned about once each: the next release drops it.
  const warnedVersionOne = new Set<string>();

  namespace.on('connection', (socket) => {
    const { reporter } = socket.data;
    if (socket.data.protocolVersion === 1 && !warnedVersionOne.has(reporter.serviceId)) {
      warnedVersionOne.add(reporter.serviceId);
      logger.warn({ service: reporter.serviceName }, 'a reporter connected with protocol version 1, which is deprecated: update its client to version 2 (docs/protocol.md)');
    }
    socket.on(
      'instance:register',
      acknowledged(
        validated(ZInstanceRegister, 'instance:register'),
        'instance:register',
        logger,
        async (message) => {
          // Set at once, in message order: the reports that follow this registration are read against it, even while it is
          // stored. One names array per registration, which the aggregate recognises by identity in every report.
          const registration = { service: message.service, instanceId: message.instanceId, runId: message.runId, names: message.breakers.map((breaker) => breaker.name) };
          socket.data.registration = registration;
          let instanceId: string;
          try {
            ({ instanceId } = await ingest.register(reporter, message, 'socket'));
          } catch (error) {
            if (socket.data.registration === registration) socket.data.registration = null;
            throw error;
          }
          if (socket.data.instanceId && socket.data.instanceId !== instanceId) void socket.leave(instanceRoom(socket.data.instanceId));
          socket.data.instanceId = instanceId;
          await socket.join(instanceRoom(instanceId));
          onRegistered(instanceId);
          return { serverTime: Date.now() };
        },
        onRejected,
      ),
    );
    // Reports are most of the traffic; version 2 sends them compact, as numbers only.
    const reportDecoder = socket.data.protocolVersion >= 2 ? compactReport(socket) : (payload: unknown) => nameFullReport(fullReport(payload));
    socket.on(
      'report:send',
      acknowledged(reportDecoder, 'report:send', logger, async (message) => (await ingest.report(reporter, message), null), onRejected),
    );
    socket.on(
      'transition:report',
      acknowledged(validated(ZTransition, 'transition:report'), 'transition:report', logger, async (message) => (await ingest.transitions(reporter, [message]), null), onRejected),
    );
    socket.on(
      'command:ack',
      acknowledged(validated(ZCommandAck, 'command:ack'), 'command:ack', logger, async (message) => (await ingest.commandAck(reporter, message), null), onRejected),
    );
  });

  return {
    namespace,
    /** Closes every connection made with a key, at once (after it was revoked). */
    disconnectKey(keyId: string): void {
      namespace.in(keyRoom(keyId)).disconnectSockets(true);
    },
  };
}
