import type { ChaosPhase } from './chaos-context';
import { killPanel } from './kill-panel';
import { killPostgres } from './kill-postgres';

/**
 * The chaos run's phases, in order. A new kind of trouble is a ChaosPhase in
 * a file of its own here, added to this list: a hostile-payload phase, for
 * one, would send what tests/fixtures/hostile-payloads.ts makes to
 * `context.panel().url` with `context.apiKey` and check the panel still
 * serves afterwards.
 */
export const CHAOS_PHASES: readonly ChaosPhase[] = [killPanel, killPostgres];
