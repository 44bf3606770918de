/**
 * One instance of a demo service, in its own process: real SDK breakers around
 * simulated dependencies that follow the fleet's script, reporting to a panel
 * over the real socket. Started by server/demo/run-fleet.ts with its spec in
 * DEMO_INSTANCE (JSON).
 */
import { connectPanel, createCircuitBreaker, type CircuitBreaker } from '../../sdk/src/index.js';
import { dependencyBehaviour, type DemoDependency } from './fleet-plan';

interface InstanceSpec {
  url: string;
  apiKey: string;
  service: string;
  instance: string;
  labels: Record<string, string>;
  dependencies: DemoDependency[];
  /** When the demo began (epoch ms): every instance follows the same script clock. */
  epoch: number;
  /** Runs the script (and open timeouts) this many times faster: tests use it, the demo runs at 1. */
  speed: number;
}

const spec = JSON.parse(process.env.DEMO_INSTANCE ?? '{}') as InstanceSpec;
const CALLS_PER_SECOND = 8;
const DAY_MS = 24 * 3_600_000;

class DependencyError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const between = ([low, high]: [number, number]) => low + Math.random() * (high - low);

function breakerFor(dependency: DemoDependency): CircuitBreaker {
  return createCircuitBreaker({
    name: dependency.name,
    window: { type: 'count', size: 20 },
    failureRateThreshold: 50,
    minimumCalls: 10,
    slowCallThreshold: 1_000,
    slowCallRateThreshold: 80,
    // The "stuck" dependency's breaker waits a day before a trial: only an operator's reset brings it back.
    openTimeout: dependency.script === 'stuck' ? DAY_MS : 10_000 / spec.speed,
    openTimeoutBackoff: dependency.script === 'stuck' ? undefined : { multiplier: 2, maxMs: 60_000 / spec.speed },
    halfOpenMaxCalls: 3,
    timeout: 3_000,
  });
}

async function callDependency(dependency: DemoDependency, signal: AbortSignal): Promise<void> {
  const behaviour = dependencyBehaviour(dependency.script, (Date.now() - spec.epoch) * spec.speed + (dependency.offsetMs ?? 0));
  await sleep(between(behaviour.latencyMs));
  if (signal.aborted) throw new DependencyError('aborted');
  if (Math.random() < behaviour.failureProbability) throw new DependencyError(`${dependency.name} failed`);
}

const breakers = spec.dependencies.map((dependency) => ({ dependency, breaker: breakerFor(dependency) }));
const reporter = connectPanel({ url: spec.url, apiKey: spec.apiKey, service: spec.service, instance: spec.instance, labels: spec.labels, breakers: breakers.map((item) => item.breaker) });
reporter.on('error', (error) => process.stderr.write(`[demo ${spec.instance}] ${error.message}\n`));

const timers = breakers.map(({ dependency, breaker }) => setInterval(() => void breaker.execute((signal) => callDependency(dependency, signal)).catch(() => undefined), 1_000 / CALLS_PER_SECOND));

async function stop(): Promise<void> {
  for (const timer of timers) clearInterval(timer);
  await reporter.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.once('disconnect', () => void stop());
