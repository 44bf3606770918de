import type { TSourceClientKind } from '../../lib/api/reporter-client.js';
import type { Logger } from '../logger';
import type { ConcurrencyLimit } from './concurrency-limit';
import type { SourceCommands } from './source-commands';
import type { SourceSink } from './source-snapshot';
import type { SourceDefinition } from './source-store';

/** What a running source adapter is given: its definition, where to deliver reads, and the shared limits. */
export interface SourceAdapterContext {
  source: SourceDefinition;
  sink: SourceSink;
  /** Operator commands for instances the adapter can steer (only the actuator uses them). */
  commands: SourceCommands;
  /** Reads in flight across every source. */
  limit: ConcurrencyLimit;
  /** How long one request to a target may take. */
  timeoutMs: number;
  logger: Logger;
  now: () => number;
  /** How late a scheduled read started (ms). */
  onLag?(lagMs: number): void;
}

export interface SourceAdapter {
  stop(): Promise<void> | void;
}

/** One kind of source: how its instances are described to the panel, and how it starts. */
export interface SourceKindDefinition {
  clientKind: TSourceClientKind;
  /** The registration's `sdk.language` for its instances. */
  language: string;
  start(context: SourceAdapterContext): SourceAdapter;
}
