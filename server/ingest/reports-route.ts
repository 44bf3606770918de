import { ZReportBatch, type TReportBatchResult } from '../../lib/protocol/report-batch.js';
import { HttpError } from '../http/http-error';
import { readJsonBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import { AgentError, invalidPayload } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';
import type { Ingest } from './ingest';
import { packReport } from './packed-report';
import type { ApiKeyVerifier } from './reporter-identity';

const STATUS: Record<AgentError['code'], number> = {
  invalid_payload: 400,
  unsupported_protocol_version: 400,
  unauthorized: 401,
  forbidden: 403,
  not_registered: 409,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

function toHttp(error: AgentError): HttpError {
  return new HttpError(STATUS[error.code], error.code, error.message, error.path ? { path: error.path } : undefined);
}

/**
 * `POST /api/v1/reports`: the socket messages, batched, for reporters that
 * cannot hold a socket. The whole batch is validated before anything is
 * applied, so a bad batch changes nothing.
 */
export function addReportsRoute(router: Router, { ingest, keys, limitBytes }: { ingest: Ingest; keys: ApiKeyVerifier; limitBytes: number }): void {
  router.add('POST', '/api/v1/reports', async ({ req, res }) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw toHttp(new AgentError('unauthorized', 'Send the API key as "Authorization: Bearer <key>"'));
    const reporter = await keys.verify(match[1]!);
    if (!reporter) throw toHttp(new AgentError('unauthorized', 'The API key is unknown or revoked'));

    const body = await readJsonBody(req, limitBytes);
    try {
      checkProtocolVersion(body);
      const parsed = ZReportBatch.safeParse(body);
      if (!parsed.success) throw invalidPayload(parsed.error, 'report batch');
      const batch = parsed.data;
      ingest.checkBatch(reporter, batch);
      if (batch.register) await ingest.register(reporter, batch.register);
      await ingest.transitions(reporter, batch.transitions);
      for (const report of batch.reports) await ingest.report(reporter, packReport(report));
      for (const ack of batch.commandAcks) await ingest.commandAck(reporter, ack);
      const result: TReportBatchResult = { storedTransitions: batch.transitions.map((transition) => transition.sequence), commands: [] };
      sendJson(res, 200, { ok: true, data: result });
    } catch (error) {
      if (error instanceof AgentError) throw toHttp(error);
      throw error;
    }
  });
}
