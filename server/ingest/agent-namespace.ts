import type { Namespace, Server } from 'socket.io';
import { AGENT_NAMESPACE } from '../../lib/live/dashboard-events';

/**
 * The reporters' namespace. Until ingest authenticates API keys, every
 * connection is refused: nothing unauthenticated may report.
 */
export function createAgentNamespace(io: Server): Namespace {
  const namespace = io.of(AGENT_NAMESPACE);
  namespace.use((_socket, next) => next(new Error('reporting is not enabled on this server yet')));
  return namespace;
}
