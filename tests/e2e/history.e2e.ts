import type { TBreakerList } from '../../lib/api/breaker-list';
import type { TTransitionRecord } from '../../lib/api/transition-record';
import { CSRF_HEADER, type TCurrentSession } from '../../lib/auth/session';
import { startSdkService, type SdkServiceProcess } from '../fixtures/sdk-service-process';
import { expect, test } from './fixtures';

test("a real service trips and recovers; the history shows the incident, the operator's trip and release, and exports the same rows", async ({ adminPage: page, panel }) => {
  test.setTimeout(120_000);
  const session = (await (await page.request.get(`${panel.url}/api/v1/auth/session`)).json()) as TCurrentSession;
  const created = await page.request.post(`${panel.url}/api/v1/api-keys`, { data: { service: 'checkout' }, headers: { [CSRF_HEADER]: session.csrfToken } });
  expect(created.status()).toBe(201);
  const { key } = (await created.json()) as { key: string };

  let service: SdkServiceProcess | undefined;
  try {
    service = await startSdkService({ PANEL_URL: panel.url, PANEL_API_KEY: key, INSTANCE: 'web-1', OPEN_TIMEOUT_MS: '1000' });
    service.setMode('failing');
    await service.waitForState('OPEN');
    service.setMode('healthy');
    await service.waitForState('CLOSED');

    const breakers = (await (await page.request.get(`${panel.url}/api/v1/breakers?service=checkout`)).json()) as TBreakerList;
    const breakerId = breakers.breakers[0]!.id;
    const stored = async () => ((await (await page.request.get(`${panel.url}/api/v1/transitions?service=checkout&limit=100`)).json()) as { transitions: TTransitionRecord[] }).transitions;
    await expect.poll(async () => (await stored()).some((transition) => transition.to === 'CLOSED' && transition.instance === 'web-1')).toBe(true);
    const reported = (await stored()).filter((transition) => transition.instance === 'web-1').sort((a, b) => a.at - b.at);
    const tripAt = reported.find((transition) => transition.to === 'OPEN')!.at;
    const recoveredAt = reported.find((transition) => transition.to === 'CLOSED')!.at;

    await page.goto(`${panel.url}/history?range=1h&service=checkout`);
    await expect(page.getByRole('img', { name: /^checkout\/payments-api: .* 1 trips/ })).toBeVisible();
    const row = page.getByRole('row', { name: /checkout\/payments-api/ });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell').nth(3)).toHaveText('web-1');
    const shownMs = Number(await row.locator('[data-duration-ms]').getAttribute('data-duration-ms'));
    expect(Math.abs(shownMs - (recoveredAt - tripAt))).toBeLessThanOrEqual(1000);

    // The hour ends now and follows it: a second trip shows without a reload.
    await expect(page.getByText(/^Follows now: updated every 10 s\./)).toBeVisible();
    const beforeSecondTrip = service.mark();
    service.setMode('failing');
    await service.waitForState('OPEN', 15_000, beforeSecondTrip);
    service.setMode('healthy');
    await service.waitForState('CLOSED', 15_000, beforeSecondTrip);
    await expect(page.getByRole('img', { name: /^checkout\/payments-api: .* 2 trips/ })).toBeVisible({ timeout: 30_000 });

    // A manual trip and release from the breaker's page.
    await page.goto(`${panel.url}/breakers/${breakerId}`);
    const actions = page.getByRole('group', { name: 'Operator actions' });
    await actions.getByRole('button', { name: 'Trip' }).click();
    await page.getByRole('textbox', { name: /Reason/ }).fill('e2e: isolate acme, INC-42');
    await page.getByRole('button', { name: 'Trip now' }).click();
    await service.waitForState('FORCED_OPEN');
    await actions.getByRole('button', { name: 'Release' }).click();
    await page.getByRole('textbox', { name: /Reason/ }).fill('e2e: acme is back');
    await page.getByRole('button', { name: 'Release now' }).click();
    await expect.poll(async () => (await stored()).filter((transition) => transition.instance === 'web-1' && transition.from === 'FORCED_OPEN').length).toBe(1);

    await page.goto(`${panel.url}/history?range=1h&service=checkout`);
    const lane = page.getByRole('img', { name: /^checkout\/payments-api: / });
    await expect(lane).toHaveAccessibleName(/2 operator actions/);
    await expect(lane.locator('path title', { hasText: 'Why: e2e: isolate acme, INC-42' })).toHaveCount(1);
    await expect(lane.locator('path title', { hasText: 'Why: e2e: acme is back' })).toHaveCount(1);
    await expect(page.getByRole('row', { name: /trip by admin@example\.test: e2e: isolate acme, INC-42/ })).toHaveCount(1);

    // The export holds exactly the stored transitions of the view.
    const exportHref = await page.getByRole('link', { name: 'Transitions JSON' }).getAttribute('href');
    const exported = (await (await page.request.get(`${panel.url}${exportHref}`)).json()) as { transitions: Array<{ id: string }> };
    const all = await stored();
    expect(exported.transitions.map((transition) => transition.id).sort()).toEqual(all.map((transition) => transition.id).sort());
    const csv = await (await page.request.get(`${panel.url}${exportHref!.replace('format=json', 'format=csv')}`)).text();
    expect(csv.trimEnd().split('\r\n')).toHaveLength(all.length + 1);
  } finally {
    await service?.stop();
  }
});
