import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TBreakerList } from '../../lib/api/breaker-list';
import { startFakeBreakerService, type FakeBreakerServiceProcess } from '../fixtures/fake-breaker-service-process';
import { startFakeHystrixStream, type FakeHystrixStream } from '../fixtures/fake-hystrix-stream';
import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { createReporterKey, expect, test } from './fixtures';

const OTLP_JSON_SENDER = path.resolve(import.meta.dirname, '../fixtures/otlp-json-sender.py');

/** One OTLP/JSON export of Polly's circuit events, posted by a Python process as an OpenTelemetry SDK configured for http/json would. */
function pushPollyEvents(spec: { url: string; key: string; service: string; counts: Record<string, number> }): Promise<string> {
  const nanos = String(BigInt(Date.now()) * 1_000_000n);
  const full = { ...spec, instance: 'dotnet-1', startNanos: nanos, timeNanos: nanos, pipeline: 'orders-http', strategy: 'cb-inventory' };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [OTLP_JSON_SENDER, JSON.stringify(full)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(output.trim()));
  });
}

test('an admin adds each kind of source in the UI, sees them beside SDK breakers, and an operator trips the actuator breaker from the dashboard', async ({ adminPage: page, panel }) => {
  test.setTimeout(150_000);
  let fake: FakeBreakerServiceProcess | null = null;
  let hystrix: FakeHystrixStream | null = null;
  let sdk: SdkServiceProcess | null = null;
  try {
    fake = await startFakeBreakerService({ breakers: ['inventory'], basic: { username: 'actuator', password: 'e2e-secret' } });
    hystrix = await startFakeHystrixStream();
    hystrix.set('GetInventory', {});
    sdk = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: await createReporterKey(page, panel.url, 'checkout'), SERVICE: 'checkout', INSTANCE: 'web-1', BREAKER: 'payments-api' });

    await page.goto(`${panel.url}/admin`);
    const form = page.getByRole('form', { name: 'Add a source' });
    const add = async (kind: string, name: string, service: string, target: string | null, basic: boolean) => {
      await form.getByLabel('Kind').selectOption(kind);
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Service').fill(service);
      if (target === null) await expect(form.getByLabel('Targets (one URL per line)')).toBeDisabled();
      else await form.getByLabel('Targets (one URL per line)').fill(target);
      await form.getByLabel('Every (s)').fill('1');
      await form.getByLabel('Credentials').selectOption(basic ? 'basic' : 'none');
      if (basic) {
        await form.getByLabel('User').fill('actuator');
        await form.getByLabel('Password').fill('e2e-secret');
      }
      await form.getByRole('button', { name: 'Add source' }).click();
    };
    const status = (name: string) => page.getByRole('status', { name: `Status of ${name}` });
    await add('actuator', 'orders actuator', 'orders', `${fake.url}/actuator`, true);
    await expect(status('orders actuator')).toContainText('ok · last read', { timeout: 15_000 });
    await add('prometheus', 'orders metrics', 'orders-metrics', `${fake.url}/actuator/prometheus`, true);
    await expect(status('orders metrics')).toContainText('ok · last read', { timeout: 15_000 });
    await add('hystrix', 'legacy fleet', 'legacy', hystrix.url, false);
    await expect(status('legacy fleet')).toContainText('ok · last read', { timeout: 15_000 });
    // Typed before the kind changes to OTLP, whose services push: the target must not be sent.
    await form.getByLabel('Targets (one URL per line)').fill('http://left-over:8080/actuator');
    await add('otlp', 'dotnet exporters', 'orders-dotnet', null, false);
    await expect(status('dotnet exporters')).toContainText('waiting for the first read');
    await expect(page.locator('tr[data-source="dotnet exporters"]')).toContainText('pushed');
    await expect(page.getByRole('region', { name: 'Sources' })).not.toContainText('e2e-secret');

    // The service's exporter pushes with the service's API key; the source's status follows.
    const otlpKey = await createReporterKey(page, panel.url, 'orders-dotnet');
    expect(await pushPollyEvents({ url: `${panel.url}/v1/metrics`, key: otlpKey, service: 'orders-dotnet', counts: { OnCircuitOpened: 1 } })).toBe('200 {}');
    await expect(status('dotnet exporters')).toContainText('ok · last read', { timeout: 15_000 });
    await page.screenshot({ path: test.info().outputPath('admin-sources.png'), fullPage: true });

    // The overview mixes every kind with the SDK's breaker and says which can be steered.
    await page.goto(panel.url);
    const row = (service: string) => page.getByRole('row').filter({ hasText: service });
    await expect(row('checkout')).toContainText('payments-api', { timeout: 15_000 });
    await expect(row('orders-metrics')).toContainText('Prometheus scrape (read-only)', { timeout: 15_000 });
    await expect(row('orders-dotnet')).toContainText('OTLP metrics (read-only)');
    await expect(row('orders-dotnet')).toContainText('Open');
    await expect(row('legacy')).toContainText('Hystrix stream (read-only)');
    await expect(page.getByRole('row').filter({ hasText: 'Resilience4j actuator' })).toContainText('inventory');

    const idOf = async (service: string) => ((await (await page.request.get(`${panel.url}/api/v1/breakers?service=${service}`)).json()) as TBreakerList).breakers[0]!.id;

    // A read-only breaker: the dialog leaves its instance out and says why.
    await page.goto(`${panel.url}/breakers/${await idOf('orders-metrics')}`);
    await expect(page.getByRole('table').filter({ hasText: 'Instances' })).toContainText('Prometheus scrape (read-only)');
    await page.getByRole('group', { name: 'Operator actions' }).getByRole('button', { name: 'Trip' }).click();
    const readOnly = page.getByRole('dialog', { name: 'Trip orders-metrics → inventory' });
    await expect(readOnly).toContainText('This rejects every call on 0 instances');
    await expect(readOnly.getByTestId('left-out')).toContainText('Left out: 1 read-only instance');
    await expect(readOnly.getByTestId('left-out')).toContainText('no way to steer the breaker');
    await readOnly.getByRole('button', { name: 'Cancel' }).click();

    // The actuator breaker: its calls are counted, its missing latency is said rather than left blank.
    await fake.script({ op: 'calls', breaker: 'inventory', success: 40, failure: 2 });
    await page.goto(`${panel.url}/breakers/${await idOf('orders')}`);
    await expect(page.getByRole('table').filter({ hasText: 'Instances' })).toContainText('Resilience4j actuator');
    await expect(page.getByRole('region', { name: 'Recent rates' })).toContainText('calls/s · failures', { timeout: 15_000 });
    await expect(page.getByRole('region', { name: 'Recent rates' })).toContainText('no latency from its source');

    // The trip is posted to the actuator, whose breaker becomes FORCE_OPEN.
    await page.getByRole('group', { name: 'Operator actions' }).getByRole('button', { name: 'Trip' }).click();
    const dialog = page.getByRole('dialog', { name: 'Trip orders → inventory' });
    await expect(dialog).toContainText('This rejects every call on 1 instance of orders → inventory');
    await dialog.getByLabel('Reason (required)').fill('inventory database failover');
    await dialog.getByRole('button', { name: 'Trip now' }).click();
    await expect.poll(async () => (await fake!.states()).states.inventory, { timeout: 10_000 }).toBe('FORCED_OPEN');
    expect((await fake.states()).writes).toEqual([{ breaker: 'inventory', updateState: 'FORCE_OPEN' }]);
    await expect(page.getByRole('table').filter({ hasText: 'Delivery of the last trip' }).getByRole('row').filter({ hasText: 'applied' })).toHaveCount(1);
    await expect(page.getByRole('table').filter({ hasText: 'Instances' }).getByRole('row').filter({ hasText: 'FORCED_OPEN' })).toHaveCount(1, { timeout: 10_000 });

    // The service goes away: its instance goes stale and the admin page shows the source's error.
    await fake.script({ op: 'down' });
    await page.goto(panel.url);
    await expect(page.getByRole('row').filter({ hasText: 'Resilience4j actuator' })).toContainText('1 stale', { timeout: 15_000 });
    await page.goto(`${panel.url}/admin`);
    await expect(status('orders actuator')).toContainText('/actuator/circuitbreakers: connection refused', { timeout: 15_000 });
  } finally {
    await sdk?.stop();
    await hystrix?.close();
    await fake?.stop();
  }
});
