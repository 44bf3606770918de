import type { TSourceKind } from '../../lib/sources/source';
import type { HttpCommands } from '../control/http-commands';
import type { Ingest } from '../ingest/ingest';
import type { Logger } from '../logger';
import { createConcurrencyLimit } from './concurrency-limit';
import type { SourceAdapter, SourceKindDefinition } from './source-adapter';
import { createSourceCommands } from './source-commands';
import { createSourceSink, type SourceFacts } from './source-sink';
import type { SourceDefinition, SourceStore } from './source-store';

export interface SourceRuntimeOptions {
  store: SourceStore;
  ingest: Ingest;
  commands: HttpCommands;
  serviceId(name: string): Promise<string>;
  kinds: Partial<Record<TSourceKind, SourceKindDefinition>>;
  now: () => number;
  reportIntervalMs: number;
  logger: Logger;
  /** Reads in flight at once across every source. */
  concurrency?: number;
  /** How long one request to a target may take. */
  timeoutMs?: number;
  onLag?(lagMs: number): void;
}

// A source's status is written when it changes, and a success at most this often (the admin page shows "last success").
const SUCCESS_WRITE_EVERY_MS = 15_000;

interface Running {
  source: SourceDefinition;
  adapter: SourceAdapter | null;
  /** The error of each failing instance (target), and of the source as a whole under ''. */
  errors: Map<string, string>;
  answered: boolean;
  written: { error: string | null; at: number } | null;
}

/** The error line the admin page shows for a source: the first failure, and how many targets fail. */
function describeErrors(errors: Map<string, string>, targets: number): string | null {
  if (errors.size === 0) return null;
  const first = errors.get('') ?? errors.values().next().value!;
  const failing = [...errors.keys()].filter((key) => key !== '').length;
  return failing > 1 || (failing === 1 && targets > 1) ? `${failing} of ${targets} targets failing; ${first}` : first;
}

/**
 * Every source in the table, running: one adapter per enabled source,
 * restarted when an admin changes it, with one sink that feeds the panel
 * and one limit on reads in flight. Kinds are plugged in by definition
 * (actuator and Prometheus here; Hystrix and OTLP beside them).
 */
export function createSourceRuntime({ store, ingest, commands, serviceId, kinds, now, reportIntervalMs, logger, concurrency = 64, timeoutMs = 5_000, onLag }: SourceRuntimeOptions) {
  const running = new Map<string, Running>();
  const limit = createConcurrencyLimit(concurrency);
  // How late reads started against their schedule, since last asked: the benchmark's and an operator's view of whether polling keeps up.
  let lags: number[] = [];
  const noteLag = (lagMs: number) => {
    if (lags.length < 100_000) lags.push(lagMs);
    onLag?.(lagMs);
  };

  const facts = (sourceId: string): SourceFacts | undefined => {
    const entry = running.get(sourceId);
    const kind = entry ? kinds[entry.source.kind] : undefined;
    if (!entry || !kind) return undefined;
    return { name: entry.source.name, kind: kind.clientKind, language: kind.language, holdMs: 2 * entry.source.pollIntervalMs + timeoutMs };
  };

  const writeStatus = (sourceId: string, entry: Running) => {
    const error = describeErrors(entry.errors, Math.max(1, entry.source.targets.length));
    const at = now();
    const last = entry.written;
    if (last && last.error === error && (error !== null || at - last.at < SUCCESS_WRITE_EVERY_MS)) return;
    entry.written = { error, at };
    const answered = entry.answered;
    entry.answered = false;
    store.recordStatus(sourceId, { error, answered, at }).catch((failure: unknown) => logger.warn({ err: failure, sourceId }, "recording a source's status failed"));
  };

  const onStatus = (sourceId: string, instance: string | null, error: string | null) => {
    const entry = running.get(sourceId);
    if (!entry) return;
    const key = instance ?? '';
    if (error === null) {
      entry.errors.delete(key);
      if (instance !== null) entry.errors.delete('');
      entry.answered = true;
    } else entry.errors.set(key, error);
    writeStatus(sourceId, entry);
  };

  const sink = createSourceSink({ ingest, serviceId, commands, facts, onStatus, now, reportIntervalMs, logger });
  const sourceCommands = createSourceCommands({ sink, commands, ingest, now });

  async function stopOne(sourceId: string): Promise<void> {
    const entry = running.get(sourceId);
    if (!entry) return;
    running.delete(sourceId);
    await entry.adapter?.stop();
    sink.forget(sourceId);
  }

  function startOne(source: SourceDefinition): void {
    const entry: Running = { source, adapter: null, errors: new Map(), answered: false, written: null };
    running.set(source.id, entry);
    const kind = kinds[source.kind];
    if (!kind) {
      entry.errors.set('', `this server cannot read ${source.kind} sources`);
      writeStatus(source.id, entry);
      return;
    }
    entry.adapter = kind.start({ source, sink, commands: sourceCommands, limit, timeoutMs, logger: logger.child({ source: source.name }), now, onLag: noteLag });
  }

  return {
    sink,
    commands: sourceCommands,
    limit,
    /** Starts every enabled source in the table. */
    async start(): Promise<number> {
      const { sources, unreadable } = await store.definitions();
      for (const { id, error } of unreadable) await store.recordStatus(id, { error, answered: false, at: now() });
      for (const source of sources) if (source.enabled) startOne(source);
      return running.size;
    },
    /** The source changed, appeared or went away: its adapter starts again from the table. */
    async reload(sourceId: string): Promise<void> {
      await stopOne(sourceId);
      const { sources } = await store.definitions();
      const source = sources.find((item) => item.id === sourceId);
      if (source?.enabled) startOne(source);
    },
    /** The reads started since the last call, and how late they started (ms): median, 99th percentile, worst. */
    takeLagStats(): { reads: number; p50: number | null; p99: number | null; max: number | null } {
      const taken = lags.sort((a, b) => a - b);
      lags = [];
      const at = (q: number) => (taken.length === 0 ? null : taken[Math.min(taken.length - 1, Math.floor(q * taken.length))]!);
      return { reads: taken.length, p50: at(0.5), p99: at(0.99), max: taken.length === 0 ? null : taken[taken.length - 1]! };
    },
    /** The running definition of a source (OTLP finds its source by service here). */
    running(): SourceDefinition[] {
      return [...running.values()].map((entry) => entry.source);
    },
    async stop(): Promise<void> {
      for (const sourceId of [...running.keys()]) await stopOne(sourceId);
      sink.stop();
    },
  };
}

export type SourceRuntime = ReturnType<typeof createSourceRuntime>;
