import { ZCommandPollQuery, type TCommandPollResult } from '../../lib/protocol/command-poll.js';
import type { HttpCommands } from '../control/http-commands';
import type { Router } from './router';
import type { Logger } from '../logger';
import { AgentError, parsePayload } from '../ingest/agent-error';
import { agentRoute, bearerReporter } from './agent-route';
import type { Ingest } from '../ingest/ingest';
import type { ApiKeyVerifier } from '../auth/reporter-identity';

/**
 * `GET /api/v1/commands?instanceId&waitMs`: the long poll of HTTP reporters.
 * It answers as soon as the instance has a command it was not handed yet (or
 * with none when `waitMs` passes), so that an operator's action reaches an
 * HTTP reporter about as fast as a socket one, without a database read per
 * poll: the wait is woken where commands are dispatched.
 */
export function addCommandsRoute(router: Router, { ingest, keys, commands, logger }: { ingest: Ingest; keys: ApiKeyVerifier; commands: HttpCommands; logger: Logger }): void {
  router.add(
    'GET',
    '/api/v1/commands',
    agentRoute(logger, 'command poll', async ({ req, res, url }) => {
      const reporter = await bearerReporter(req, keys);
      const { instanceId: name, waitMs } = parsePayload(ZCommandPollQuery, Object.fromEntries(url.searchParams), 'query');
      await ingest.findRegistered(reporter, [name]);
      const instanceId = ingest.instanceIdOf(reporter, name);
      if (!instanceId) {
        if (ingest.registeredElsewhere(reporter, name))
          throw new AgentError('forbidden', `Instance "${name}" belongs to another service than this API key's ("${reporter.serviceName}")`, ['instanceId']);
        throw new AgentError('not_registered', `Instance "${name}" has not registered; post a batch with register first`, ['instanceId']);
      }
      if (commands.heardFrom(instanceId, null)) await commands.resendOverrides(instanceId);

      const wait = commands.wait(instanceId, reporter.keyId, waitMs);
      if (wait === 'busy') throw new AgentError('unavailable', 'Too many long polls are waiting on this server; retry shortly');
      // A client that hangs up ends its wait, and takes nothing: what it was not handed stays pending.
      const hungUp = () => wait.cancel();
      res.once('close', hungUp);
      const end = await wait.done;
      res.off('close', hungUp);
      if (end === 'revoked') throw new AgentError('unauthorized', 'The API key was revoked');
      if (res.destroyed) return null;
      const result: TCommandPollResult = { commands: await commands.take(instanceId) };
      return result;
    }),
  );
}
