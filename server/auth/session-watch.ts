import type { Logger } from '../logger';
import { listen } from './api-keys';
import { SESSION_ENDED_CHANNEL, type Sessions } from './sessions';
import { disconnectSessions, type AnyNamespace } from './socket-access';

/**
 * Keeps open sockets honest about their sessions: a revoked session (any
 * process: sign-out, a disabled user, a role change) closes its sockets at once
 * through LISTEN/NOTIFY; a sweep closes those whose session merely expired.
 */
export async function watchSocketSessions({
  namespace,
  sessions,
  databaseUrl,
  sweepMs,
  logger,
}: {
  namespace: AnyNamespace;
  sessions: Sessions;
  databaseUrl: string;
  sweepMs: number;
  logger: Logger;
}) {
  const listener = await listen(databaseUrl, SESSION_ENDED_CHANNEL, (sessionId) => {
    const closed = disconnectSessions(namespace, new Set([sessionId]));
    if (closed > 0) logger.info({ closed }, 'closed the sockets of an ended session');
  });

  const sweep = async () => {
    const ids = [...new Set([...namespace.sockets.values()].map((socket) => socket.data.access?.sessionId).filter((id): id is string => Boolean(id)))];
    const live = await sessions.stillLive(ids);
    disconnectSessions(namespace, new Set(ids.filter((id) => !live.has(id))));
  };
  const timer = setInterval(() => void sweep().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed')), sweepMs);
  timer.unref();

  return {
    sweep,
    async close(): Promise<void> {
      clearInterval(timer);
      await listener.close();
    },
  };
}
