import type { Server } from 'socket.io';
import type { z } from 'zod';
import { AGENT_NAMESPACE, type AgentClientToServerEvents, type AgentServerToClientEvents, type TAgentHandshakeAuth } from '../../lib/protocol/agent-events.js';
import { ZReport } from '../../lib/protocol/breaker-report.js';
import { ZCommandAck } from '../../lib/protocol/command.js';
import { ZCompactReport } from '../../lib/protocol/compact-report.js';
import { ZInstanceRegister, type TInstanceRegister } from '../../lib/protocol/instance-register.js';
import { ZTransition } from '../../lib/protocol/transition.js';
import type { Logger } from '../logger';
import { typedNamespace } from '../socket-namespace';
import { acknowledged } from './acknowledged';
import { AgentError, parsePayload } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';
import type { Ingest } from './ingest';
import { nameFullReport, type NamedReport, type RegistrationContext } from './named-report';
import type { ApiKeyVerifier, ReporterIdentity } from '../auth/reporter-identity';

/** What the server keeps on an authenticated reporter socket. */
export interface AgentSocket {
  reporter: ReporterIdentity;
  /** The protocol version of the handshake: it decides the form of `report:send`. */
  protocolVersion: number;
  instanceId: string | null;
  registration: RegistrationContext | null;
}

export type AgentNamespace = ReturnType<typeof createAgentNamespace>;

/** A message checked for its protocol version first (a reporter from the future hears "unsupported version"), then by its schema. */
const versioned =
  <T>(schema: z.ZodType<T>, what: string) =>
  (payload: unknown): T => {
    checkProtocolVersion(payload);
    return parsePayload(schema, payload, what);
  };

const fullReport = versioned(ZReport, 'report:send');

/** `report:send` of a version 2 connection: the compact report, read against the connection's registration. */
function compactReport(payload: unknown, registration: RegistrationContext | null): NamedReport {
  const numbers = parsePayload(ZCompactReport, payload, 'report:send');
  if (!registration) throw new AgentError('not_registered', 'Send instance:register before reports on this connection', []);
  if (numbers.state.length !== registration.names.length) {
    throw new AgentError('invalid_payload', `Invalid report:send: state has ${numbers.state.length} entries, the registration ${registration.names.length} breakers`, ['state']);
  }
  return { ...registration, numbers };
}

const keyRoom = (keyId: string) => `key:${keyId}`;
export const instanceRoom = (instanceId: string) => `instance:${instanceId}`;

/** The reporters' namespace: the handshake's API key decides the one service a connection reports for; a bad message gets an error ack, not a disconnect. */
export function createAgentNamespace(
  io: Server,
  { ingest, keys, logger, onRegistered, onRejected }: { ingest: Ingest; keys: ApiKeyVerifier; logger: Logger; onRegistered(instanceId: string): void; onRejected?: (code: string) => void },
) {
  const namespace = typedNamespace<AgentClientToServerEvents, AgentServerToClientEvents, AgentSocket>(io, AGENT_NAMESPACE);
  const answering = { logger, onRejected };

  namespace.use((socket, next) => {
    const auth = socket.handshake.auth as Partial<TAgentHandshakeAuth>;
    const admit = async () => {
      const protocolVersion = checkProtocolVersion(auth);
      if (typeof auth.apiKey !== 'string' || auth.apiKey.length === 0) throw new AgentError('unauthorized', 'An API key is required in the handshake auth (apiKey)');
      const reporter = await keys.verify(auth.apiKey).catch((error: unknown) => {
        logger.error({ err: error }, 'API key check failed');
        throw new AgentError('unavailable', 'The server cannot check keys right now; retry later');
      });
      if (!reporter) throw new AgentError('unauthorized', 'The API key is unknown or revoked');
      socket.data = { reporter, protocolVersion, instanceId: null, registration: null };
      void socket.join(keyRoom(reporter.keyId));
    };
    const refuse = (error: AgentError) => next(Object.assign(new Error(error.message), { data: error.toAck() }));
    admit().then(() => next(), refuse);
  });

  // Services still speaking version 1, warned about once each: the next release drops it.
  const warnedVersionOne = new Set<string>();

  namespace.on('connection', (socket) => {
    const { reporter } = socket.data;
    if (socket.data.protocolVersion === 1 && !warnedVersionOne.has(reporter.serviceId)) {
      warnedVersionOne.add(reporter.serviceId);
      logger.warn({ service: reporter.serviceName }, 'a reporter connected with protocol version 1, which is deprecated: update its client to version 2 (docs/protocol.md)');
    }
    const register = async (message: TInstanceRegister) => {
      // Set at once, in message order: the reports that follow are read against it even while it is stored. One names
      // array per registration, which the aggregate recognises by identity in every report.
      const registration = { service: message.service, instanceId: message.instanceId, runId: message.runId, names: message.breakers.map((breaker) => breaker.name) };
      socket.data.registration = registration;
      const { instanceId } = await ingest.register(reporter, message, 'socket').catch((error: unknown) => {
        if (socket.data.registration === registration) socket.data.registration = null;
        throw error;
      });
      if (socket.data.instanceId && socket.data.instanceId !== instanceId) void socket.leave(instanceRoom(socket.data.instanceId));
      socket.data.instanceId = instanceId;
      await socket.join(instanceRoom(instanceId));
      onRegistered(instanceId);
      return { serverTime: Date.now() };
    };
    // Reports are most of the traffic; version 2 sends them compact, as numbers only.
    const decodeReport = socket.data.protocolVersion >= 2 ? (payload: unknown) => compactReport(payload, socket.data.registration) : (payload: unknown) => nameFullReport(fullReport(payload));
    const answer = <T>(event: keyof AgentClientToServerEvents, decode: (payload: unknown) => T, handle: (message: T) => Promise<unknown>) =>
      socket.on(event, acknowledged(event, decode, handle, answering));
    answer('instance:register', versioned(ZInstanceRegister, 'instance:register'), register);
    answer('report:send', decodeReport, (message) => ingest.report(reporter, message));
    answer('transition:report', versioned(ZTransition, 'transition:report'), (message) => ingest.transitions(reporter, [message]));
    answer('command:ack', versioned(ZCommandAck, 'command:ack'), (message) => ingest.commandAck(reporter, message));
  });

  return {
    namespace,
    /** Closes every connection made with a key, at once (after it was revoked). */
    disconnectKey(keyId: string): void {
      namespace.in(keyRoom(keyId)).disconnectSockets(true);
    },
  };
}
