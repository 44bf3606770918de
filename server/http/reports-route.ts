import { ZReportBatch, type TReportBatchResult } from '../../lib/protocol/report-batch.js';
import type { TCommand } from '../../lib/protocol/command.js';
import type { HttpCommands } from '../control/http-commands';
import { readJsonBody } from './read-json-body';
import type { Router } from './router';
import type { Logger } from '../logger';
import { parsePayload } from '../ingest/agent-error';
import { agentRoute, bearerReporter } from './agent-route';
import { checkProtocolVersion } from '../ingest/check-protocol-version';
import type { Ingest } from '../ingest/ingest';
import { nameFullReport } from '../ingest/named-report';
import type { ApiKeyVerifier } from '../auth/reporter-identity';

/**
 * `POST /api/v1/reports`: the socket messages, batched, for reporters that
 * cannot hold a socket. The whole batch is validated before anything is
 * applied, so a bad batch changes nothing. The answer carries the commands
 * the batch's instance has not acknowledged yet: HTTP reporters are steered
 * through their own batches (and the long poll, commands-route.ts).
 */
export function addReportsRoute(
  router: Router,
  { ingest, keys, commands, limitBytes, logger }: { ingest: Ingest; keys: ApiKeyVerifier; commands: HttpCommands; limitBytes: number; logger: Logger },
): void {
  router.add(
    'POST',
    '/api/v1/reports',
    agentRoute(logger, 'report batch', async ({ req }) => {
      const reporter = await bearerReporter(req, keys);
      const body = await readJsonBody(req, limitBytes);
      checkProtocolVersion(body);
      const batch = parsePayload(ZReportBatch, body, 'report batch');
      // The instances it speaks for may have registered with another server.
      await ingest.findRegistered(
        reporter,
        [...batch.reports, ...batch.transitions, ...batch.commandAcks]
          .filter((message) => message.instanceId !== batch.register?.instanceId && message.service === reporter.serviceName)
          .map((message) => message.instanceId),
      );
      // Each instance the batch speaks for, with its run: it is reachable now, and its answer carries its commands.
      const runs = ingest.checkBatch(reporter, batch);
      if (batch.register) await ingest.register(reporter, batch.register, 'http');
      const instances: Array<{ instanceId: string; resend: boolean }> = [];
      for (const [name, runId] of runs) {
        const instanceId = ingest.instanceIdOf(reporter, name)!;
        ingest.noteTransport(instanceId, 'http');
        instances.push({ instanceId, resend: commands.heardFrom(instanceId, runId) || batch.register?.instanceId === name });
      }

      await ingest.transitions(reporter, batch.transitions);
      for (const report of batch.reports) await ingest.report(reporter, nameFullReport(report));
      for (const ack of batch.commandAcks) await ingest.commandAck(reporter, ack);

      const pending: TCommand[] = [];
      for (const { instanceId, resend } of instances) {
        if (resend) await commands.resendOverrides(instanceId);
        pending.push(...(await commands.take(instanceId)));
      }
      const result: TReportBatchResult = { storedTransitions: batch.transitions.map((transition) => transition.sequence), commands: pending };
      return result;
    }),
  );
}
