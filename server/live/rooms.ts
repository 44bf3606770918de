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
