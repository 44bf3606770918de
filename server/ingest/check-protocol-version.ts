import { PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import { AgentError } from './agent-error';

/**
 * Refuses a message of another protocol version with its own error before
 * validating the rest, so a reporter from the future hears "unsupported
 * version" rather than a list of fields it got "wrong".
 */
export function checkProtocolVersion(payload: unknown): void {
  const version = typeof payload === 'object' && payload !== null && 'protocolVersion' in payload ? payload.protocolVersion : undefined;
  if (version === undefined) throw new AgentError('invalid_payload', 'Invalid message: protocolVersion is required', ['protocolVersion']);
  if (version !== PROTOCOL_VERSION) {
    throw new AgentError('unsupported_protocol_version', `Protocol version ${JSON.stringify(version)} is not supported; this server speaks version ${PROTOCOL_VERSION}`, ['protocolVersion']);
  }
}
