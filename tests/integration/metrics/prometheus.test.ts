import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { describe, expect, inject, it } from 'vitest';
import type { TBreakerList } from '../../../lib/api/breaker-list.js';
import { createApiKeys } from '../../../server/auth/api-keys';
import { connectAgent, send } from '../../fixtures/agent-client';
import { startTestPanel } from '../../fixtures/panel';
import { usePanelOnFreshDatabase } from '../../fixtures/panel-on-fresh-database';
import { instanceRun } from '../../fixtures/protocol-messages';
import { signIn } from '../../fixtures/signed-in';
import { createEmptyDatabase } from '../../fixtures/test-database';

const TOKEN = 'scrape-token-0123456789';

describe('GET /metrics', () => {
  const setup = usePanelOnFreshDatabase({ METRICS_TOKEN: TOKEN });

  it('needs the bearer token', async () => {
    expect((await fetch(`${setup.panel.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${setup.panel.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  it('exports every breaker as Prometheus parses it, matching the API', async () => {
    const { key } = await createApiKeys({ prisma: setup.panel.prisma, now: Date.now }).create('checkout');
    const agents = await Promise.all([connectAgent(setup.panel.url, key), connectAgent(setup.panel.url, key)]);
    const runs = [instanceRun('checkout', 'web-1'), instanceRun('checkout', 'web-2')];
    for (const [index, agent] of agents.entries()) await send(agent, 'instance:register', runs[index]!.register(['payments-api']));
    await send(agents[0]!, 'report:send', runs[0]!.compact([runs[0]!.breaker('payments-api', { success: 30, failure: 10, rejected: 5 }, 'OPEN')]));
    await send(agents[1]!, 'report:send', runs[1]!.compact([runs[1]!.breaker('payments-api', { success: 20, slow: 4 }, 'CLOSED')]));

    const response = await fetch(`${setup.panel.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = new Map(parsePrometheusTextFormat(await response.text()).map((family) => [family.name, family]));
    const sample = (name: string, labels: Record<string, string>) =>
      families.get(name)?.metrics.find((metric) => Object.entries(labels).every(([label, value]) => metric.labels?.[label] === value))?.value;
    const breaker = { service: 'checkout', breaker: 'payments-api' };

    expect(families.get('breaker_calls_total')?.type).toBe('COUNTER');
    expect(sample('breaker_calls_total', { ...breaker, outcome: 'success' })).toBe('50');
    expect(sample('breaker_calls_total', { ...breaker, outcome: 'failure' })).toBe('10');
    expect(sample('breaker_calls_total', { ...breaker, outcome: 'rejected' })).toBe('5');
    expect(sample('breaker_calls_total', { ...breaker, outcome: 'slow' })).toBe('4');
    expect(sample('breaker_state', { ...breaker, state: 'OPEN' })).toBe('1');
    expect(sample('breaker_state', { ...breaker, state: 'CLOSED' })).toBe('0');
    expect(sample('breaker_instances', { ...breaker, state: 'OPEN' })).toBe('1');
    expect(sample('breaker_instances', { ...breaker, state: 'CLOSED' })).toBe('1');

    const api = (await (await signIn(setup.panel.url)).getJson<TBreakerList>('/api/v1/breakers?service=checkout')).breakers[0]!;
    expect(Number(sample('breaker_failure_rate_percent', breaker))).toBeCloseTo(api.rates.failureRate!, 5);
    expect(Number(sample('breaker_slow_call_rate_percent', breaker))).toBeCloseTo(api.rates.slowCallRate!, 5);
    expect(sample('breaker_panel_connected_sockets', { namespace: 'agent' })).toBe('2');
    expect(Number(sample('breaker_panel_breaker_reports_total', {}))).toBe(2);
    expect(families.has('breaker_panel_process_cpu_seconds_total')).toBe(true);
    // Backpressure: a light load is never held back.
    expect(families.get('breaker_panel_messages_held_total')?.type).toBe('COUNTER');
    expect(sample('breaker_panel_messages_waiting', {})).toBe('0');
    for (const agent of agents) agent.close();
  });

  it('is off unless a token is configured', async () => {
    const other = await createEmptyDatabase(inject('postgresAdminUrl'));
    const plain = await startTestPanel({ DATABASE_URL: other.url });
    try {
      expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
    } finally {
      await plain.stop();
      await other.drop();
    }
  });
});
