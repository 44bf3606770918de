import { agentPacketDecoder } from './agent-packet-decoder';
import { AgentPacketEncoder } from './agent-packet-encoder';
import type { ReportDecoderPool } from './report-decoder-pool';

/**
 * The Socket.IO parser of the panel's server (its `parser` option): the wire
 * format is Socket.IO's own, with reports decoded by the agent packet decoder
 * and report acknowledgements written from a template.
 */
export function agentParser(decoders: ReportDecoderPool | null) {
  return { Encoder: AgentPacketEncoder, Decoder: agentPacketDecoder(decoders) };
}
