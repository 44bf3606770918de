import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { BreakerPartial } from './breaker-views';

/** This server's part of a breaker: its partial, and its instances' rows when the merge needs them. */
export interface OwnPart {
  partial: BreakerPartial;
  rows: () => TBreakerInstance[];
  /** Whether every instance the partial counts has a row and is held here (a transport): then the partial needs nothing taken out. */
  holdsEvery: () => boolean;
  /** Whether an instance has a row here and is held here. */
  holds: (instanceId: string) => boolean;
}

/** The other servers' parts of the breakers' views (CLUSTER=on; server/cluster/remote-partials.ts), merged into every summary served. */
export interface RemoteViews {
  /** The partials to merge for a breaker and whether its service is a demo, or null when no server holds any of it. */
  merge(breakerId: string, own: OwnPart | undefined, at: number): { partials: BreakerPartial[]; demo: boolean } | null;
  /** The breaker's instance rows across servers, each instance once. */
  instances(breakerId: string, own: OwnPart | undefined, at: number): TBreakerInstance[];
  /** Breakers only other servers hold, with their service names. */
  remoteOnly(): Iterable<{ id: string; service: string }>;
  /** A breaker only other servers hold: its service and the config its instances report. */
  describe(breakerId: string): { service: string; config: TBreakerConfig | null } | undefined;
}
