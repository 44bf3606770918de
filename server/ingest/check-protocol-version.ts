import { SUPPORTED_PROTOCOL_VERSIONS } from '../../lib/protocol/version.js';
import { AgentError } from './agent-error';

/** Refuses another protocol version before validating the rest: a reporter from the future hears "unsupported version", not a list of fields. */
export function checkProtocolVersion(payload: unknown): number {
  const version = typeof payload === 'object' && payload !== null && 'protocolVersion' in payload ? payload.protocolVersion : undefined;
  if (version === undefined) throw new AgentError('invalid_payload', 'Invalid message: protocolVersion is required', ['protocolVersion']);
  if (typeof version !== 'number' || !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    throw new AgentError('unsupported_protocol_version', `Protocol version ${JSON.stringify(version)} is not supported; this server speaks versions ${SUPPORTED_PROTOCOL_VERSIONS.join(' and ')}`, [
      'protocolVersion',
    ]);
  }
  return version;
}
