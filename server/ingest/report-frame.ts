import { PacketType } from 'socket.io-parser';
import { AGENT_NAMESPACE } from '../../lib/protocol/agent-events.js';

const TEXT_FRAME = Symbol('text frame');

/** A WebSocket text frame's Engine.IO message, handed on as its bytes (see agentEventBytes). */
export type TextFrameBytes = Buffer & { readonly [TEXT_FRAME]: true };

// Engine.IO's message type, then Socket.IO's event type and namespace: `42/agent,…`.
const AGENT_EVENT = Buffer.from(`4${PacketType.EVENT}${AGENT_NAMESPACE},`);

function startsWithAgentEvent(frame: Buffer): boolean {
  if (frame.length <= AGENT_EVENT.length) return false;
  for (let i = 0; i < AGENT_EVENT.length; i++) if (frame[i] !== AGENT_EVENT[i]) return false;
  return true;
}

/**
 * The Engine.IO message of a text frame that carries an /agent event (a
 * report, nearly always), as bytes rather than a string; null for any other
 * frame. Engine.IO passes bytes through to Socket.IO's decoder untouched,
 * so the report scanner reads the numbers of a report from the frame
 * (server/ingest/report-scanner.ts) and the decoder makes the string itself,
 * from the same bytes (agent-packet-decoder.ts). ws has checked that the
 * frame is valid UTF-8 before it is emitted.
 */
export function agentEventBytes(frame: Buffer): TextFrameBytes | null {
  if (!startsWithAgentEvent(frame)) return null;
  // Without Engine.IO's type: what its decoder would have made a string of.
  const message = frame.subarray(1) as Buffer & { [TEXT_FRAME]?: true };
  message[TEXT_FRAME] = true;
  return message as TextFrameBytes;
}

/** Whether Socket.IO's decoder was given a text frame's bytes (agentEventBytes), not a binary attachment. */
export function isTextFrame(data: unknown): data is TextFrameBytes {
  return Buffer.isBuffer(data) && (data as Partial<TextFrameBytes>)[TEXT_FRAME] === true;
}
