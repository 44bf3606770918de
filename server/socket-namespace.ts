import type { Namespace, Server } from 'socket.io';

// socket.io's own constraint for event maps, which its package does not export.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EventsMap = { [event: string]: any };

/**
 * Socket.IO types one event map per Server, but each of our namespaces has its
 * own contract; this is the one place that narrows a namespace to its map.
 */
export function typedNamespace<ClientToServer extends EventsMap, ServerToClient extends EventsMap, SocketData>(
  io: Server,
  name: string,
): Namespace<ClientToServer, ServerToClient, Record<string, never>, SocketData> {
  return io.of(name) as unknown as Namespace<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
}
