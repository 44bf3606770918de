/**
 * The real panel server for the benchmark, in its own process: the same
 * startPanelServer as `npm start`, compiled the same way (no TypeScript
 * loader), minus the Next.js pages (ingest needs only
 * the API and the sockets, and a page build would only add start-up time).
 * Reads its configuration from the environment like server/index.ts; creates
 * one API key per service in BENCH_SERVICES and reports them over IPC.
 */
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createApiKeys } from '../../server/auth/api-keys';
import { loadConfig } from '../../server/config';
import { applyV8MemoryFlags } from '../../server/v8-memory-flags';
import { createLogger } from '../../server/logger';
import { startPanelServer } from '../../server/panel-server';
import type { MemoryPeaks, PanelMessage, PanelRequest } from './messages';

// Compiled into .build/ by the benchmark (scripts/build-server.ts), so the root comes from the benchmark, not from this file's place.
const rootDir = process.env.BENCH_ROOT_DIR ?? path.resolve(import.meta.dirname, '../..');
const tell = (message: PanelMessage) => process.send?.(message);

async function main(): Promise<void> {
  const config = loadConfig(process.env, rootDir);
  // As server/index.ts does.
  applyV8MemoryFlags();
  const panel = await startPanelServer({ config, logger: createLogger(config.logLevel) });
  // How long callbacks waited for the event loop: the server-side share of every latency the fleet sees.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  // Says when the loop stalls for over a second, so that a stall can be placed among the benchmark's phases.
  const startedAt = performance.now();
  let lastTick = performance.now();
  const stallWatch = setInterval(() => {
    const at = performance.now();
    if (at - lastTick > 1_100) process.stderr.write(`panel: event loop blocked ${((at - lastTick) / 1000).toFixed(1)} s, until ${((at - startedAt) / 1000).toFixed(1)} s after start\n`);
    lastTick = at;
  }, 100);
  stallWatch.unref();
  // A stall is either the main thread busy or a garbage collection: long collections are named.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if (entry.duration > 200)
        process.stderr.write(`panel: garbage collection took ${(entry.duration / 1000).toFixed(1)} s, until ${((entry.startTime + entry.duration - startedAt) / 1000).toFixed(1)} s after start\n`);
  }).observe({ entryTypes: ['gc'] });
  // Where the RSS goes: V8's heap, or buffers outside it (sockets, pg).
  const peakMemory: MemoryPeaks = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const memorySampler = setInterval(() => {
    const usage = process.memoryUsage();
    for (const key of Object.keys(peakMemory) as Array<keyof MemoryPeaks>) peakMemory[key] = Math.max(peakMemory[key], usage[key]);
    if (process.env.BENCH_MEMLOG && Math.round(performance.now() / 500) % 6 === 0)
      process.stderr.write(
        `mem ${((performance.now() - startedAt) / 1000).toFixed(0)}s rss ${(usage.rss / 1048576).toFixed(0)} heap ${(usage.heapUsed / 1048576).toFixed(0)}/${(usage.heapTotal / 1048576).toFixed(0)} ab ${(usage.arrayBuffers / 1048576).toFixed(0)} ext ${(usage.external / 1048576).toFixed(0)}\n`,
      );
  }, 500);
  memorySampler.unref();
  let stopping: Promise<void> | null = null;
  // Stop gracefully, so a --cpu-prof profile is written; the parent kills us if this hangs.
  const stop = () => (stopping ??= panel.stop().finally(() => process.exit(0)));
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.on('message', (raw) => {
    const request = raw as PanelRequest;
    if (request.type === 'stop') void stop();
    if (request.type === 'flush') {
      const started = performance.now();
      void panel.pipeline.flush().then(() =>
        tell({
          type: 'flushed',
          flushMs: performance.now() - started,
          tracked: panel.pipeline.aggregate.stats(),
          loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
          peakMemory,
        }),
      );
    }
  });

  const apiKeys = createApiKeys({ prisma: panel.prisma, now: Date.now });
  const keys: Record<string, string> = {};
  for (const service of JSON.parse(process.env.BENCH_SERVICES ?? '[]') as string[]) keys[service] = (await apiKeys.create(service)).key;
  tell({ type: 'ready', port: panel.port, keys });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench panel: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
