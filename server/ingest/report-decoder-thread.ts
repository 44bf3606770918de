/**
 * A report decoder thread (see report-decoder-pool.ts): parses the JSON of
 * `report:send` packets, validates and packs them, and hands the packed
 * report's buffers back without copying them.
 */
import { parentPort } from 'node:worker_threads';
import { AgentError } from './agent-error';
import { decodeReport } from './decode-report';
import type { DecodeRequest, DecodeResponse } from './report-decoder-pool';

function decodeArguments(text: string): DecodeResponse['outcome'] {
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    return { error: new AgentError('invalid_payload', 'Invalid report:send: the message is not valid JSON').toAck() };
  }
  // Socket.IO's event packets are [event, ...arguments]; the acknowledgement travels beside them.
  if (!Array.isArray(args) || args.length !== 2) return { error: new AgentError('invalid_payload', 'Invalid report:send: send exactly one report').toAck() };
  try {
    return { report: decodeReport(args[1]) };
  } catch (error) {
    if (error instanceof AgentError) return { error: error.toAck() };
    throw error;
  }
}

const port = parentPort!;
port.on('message', ({ id, text }: DecodeRequest) => {
  const outcome = decodeArguments(text);
  const response: DecodeResponse = { id, outcome };
  if ('report' in outcome) port.postMessage(response, [outcome.report.states.buffer, outcome.report.numbers.buffer]);
  else port.postMessage(response);
});
