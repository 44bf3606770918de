import type { TLiveScope } from '../../lib/live/dashboard-events';

/** The Socket.IO room of a live scope: one room per scope, so a broadcast is encoded once for all its watchers. */
export function roomOf(scope: TLiveScope): string {
  switch (scope.kind) {
    case 'all':
      return 'all';
    case 'service':
      return `service:${scope.service}`;
    case 'breaker':
      return `breaker:${scope.breakerId}`;
  }
}

const ALL_ROOM = roomOf({ kind: 'all' });
const SERVICE_PREFIX = roomOf({ kind: 'service', service: '' });
const BREAKER_PREFIX = roomOf({ kind: 'breaker', breakerId: '' });

/** The scopes someone watches, from the namespace's rooms in one pass: a delta then asks a set per breaker, not the adapter for a room name built per breaker. */
export function watchedScopes(rooms: ReadonlyMap<string, ReadonlySet<string>>): { all: boolean; services: Set<string>; breakers: Set<string> } {
  const watched = { all: false, services: new Set<string>(), breakers: new Set<string>() };
  for (const [room, members] of rooms) {
    if (members.size === 0) continue;
    if (room === ALL_ROOM) watched.all = true;
    else if (room.startsWith(SERVICE_PREFIX)) watched.services.add(room.slice(SERVICE_PREFIX.length));
    else if (room.startsWith(BREAKER_PREFIX)) watched.breakers.add(room.slice(BREAKER_PREFIX.length));
  }
  return watched;
}
