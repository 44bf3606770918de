/**
 * The demo fleet: a few services whose dependencies follow a script of
 * incidents, so that every screen has something true to show within a minute.
 */

/** How a simulated dependency behaves over time. */
export type DependencyScript =
  | 'steady'
  /** Down (every call fails) for a minute, every five minutes, the first time 30 s in. */
  | 'outage'
  /** Turns slow (1.2–1.8 s a call) for 90 s every four minutes, the first time 45 s in. */
  | 'slow'
  /** Fails 15 s out of every 40 s: the breaker flaps. */
  | 'flapping'
  /** Fails for a minute once, 20 s in; its breaker waits a day before a trial, so it takes an operator's reset. */
  | 'stuck';

export interface DemoDependency {
  name: string;
  script: DependencyScript;
  /** Shifts the script in time (ms), so services don't all fail at once. */
  offsetMs?: number;
}

export interface DemoService {
  name: string;
  instances: number;
  dependencies: DemoDependency[];
}

export const DEMO_FLEET: DemoService[] = [
  {
    name: 'checkout',
    instances: 3,
    dependencies: [
      { name: 'payments-api', script: 'outage' },
      { name: 'inventory-api', script: 'steady' },
      { name: 'tax-api', script: 'steady' },
      { name: 'fraud-check', script: 'slow' },
      { name: 'shipping-quote', script: 'steady' },
      { name: 'loyalty-api', script: 'steady' },
    ],
  },
  {
    name: 'search',
    instances: 2,
    dependencies: [
      { name: 'index-api', script: 'flapping' },
      { name: 'suggest-api', script: 'steady' },
      { name: 'spellcheck', script: 'steady' },
      { name: 'ranking-model', script: 'slow', offsetMs: 90_000 },
      { name: 'synonyms-db', script: 'steady' },
    ],
  },
  {
    name: 'catalog',
    instances: 4,
    dependencies: [
      { name: 'images-cdn', script: 'steady' },
      { name: 'pricing-api', script: 'stuck' },
      { name: 'reviews-api', script: 'steady' },
      { name: 'stock-db', script: 'steady' },
      { name: 'recommendations', script: 'outage', offsetMs: 150_000 },
      { name: 'currency-rates', script: 'steady' },
      { name: 'search-api', script: 'steady' },
    ],
  },
  {
    name: 'notifications',
    instances: 2,
    dependencies: [
      { name: 'email-provider', script: 'flapping', offsetMs: 20_000 },
      { name: 'sms-provider', script: 'steady' },
      { name: 'push-gateway', script: 'steady' },
      { name: 'templates-db', script: 'steady' },
      { name: 'webhook-relay', script: 'slow', offsetMs: 120_000 },
    ],
  },
];

/** What a dependency does at `elapsedMs` into the demo: how likely a call fails, and how long it takes. */
export function dependencyBehaviour(script: DependencyScript, elapsedMs: number): { failureProbability: number; latencyMs: [number, number] } {
  const normal = { failureProbability: 0.005, latencyMs: [8, 40] as [number, number] };
  switch (script) {
    case 'steady':
      return normal;
    case 'outage': {
      const phase = elapsedMs % 300_000;
      return phase >= 30_000 && phase < 90_000 ? { failureProbability: 1, latencyMs: [2, 10] } : normal;
    }
    case 'slow': {
      const phase = elapsedMs % 240_000;
      return phase >= 45_000 && phase < 135_000 ? { failureProbability: 0.01, latencyMs: [1_200, 1_800] } : normal;
    }
    case 'flapping':
      return elapsedMs % 40_000 < 15_000 ? { failureProbability: 1, latencyMs: [2, 10] } : normal;
    case 'stuck':
      return elapsedMs >= 20_000 && elapsedMs < 80_000 ? { failureProbability: 1, latencyMs: [2, 10] } : normal;
  }
}
