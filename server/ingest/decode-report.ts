import { ZReport } from '../../lib/protocol/breaker-report.js';
import { invalidPayload } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';
import { packReport, type PackedReport } from './packed-report';
import { isPlainReport } from './report-shape';

/**
 * Turns a `report:send` payload into a PackedReport, or throws the
 * AgentError a reporter gets back: the protocol version first, then the
 * structural check for well-formed reports, and zod to judge (and word) the
 * rest. Runs on the decoder threads, and on the main thread for reports that
 * did not come through them (HTTP batches, binary packets).
 */
export function decodeReport(payload: unknown): PackedReport {
  checkProtocolVersion(payload);
  if (isPlainReport(payload)) return packReport(payload);
  const parsed = ZReport.safeParse(payload);
  if (!parsed.success) throw invalidPayload(parsed.error, 'report:send');
  return packReport(parsed.data);
}
