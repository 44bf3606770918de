'use client';

import { useCallback, useEffect, useState } from 'react';
import type { TBreakerList } from '../../../lib/api/breaker-list';
import type { TNotificationDeliveryView } from '../../../lib/notify/deliveries';
import type { TCreateEndpoint, TCreatedEndpoint, TEndpointView } from '../../../lib/notify/endpoints';
import type { TCreateRule, TRuleView } from '../../../lib/notify/rules';
import type { TCreateSnooze, TSnoozeView } from '../../../lib/notify/snoozes';
import { DeliveryLogSection } from '../../../components/admin/delivery-log-section';
import { NotificationEndpointsSection } from '../../../components/admin/notification-endpoints-section';
import { NotificationRulesSection } from '../../../components/admin/notification-rules-section';
import { OneTimeSecret } from '../../../components/admin/one-time-secret';
import { SnoozesSection, type SnoozeChoice } from '../../../components/admin/snoozes-section';
import { useCan, useSession } from '../../_access/access-provider';
import { ApiError, callApi } from '../../_access/api-client';
import { changeThenReload } from '../../_access/change-then-reload';

// The log and the snoozes change without this page doing anything: refresh them now and then.
const REFRESH_MS = 5_000;

interface Lists {
  rules: TRuleView[];
  snoozes: TSnoozeView[];
  breakers: SnoozeChoice[];
  endpoints: TEndpointView[];
  deliveries: TNotificationDeliveryView[];
}

const EMPTY: Lists = { rules: [], snoozes: [], breakers: [], endpoints: [], deliveries: [] };

async function fetchLists(isAdmin: boolean): Promise<Lists> {
  const [rules, snoozes, breakers, endpoints, deliveries] = await Promise.all([
    callApi<{ rules: TRuleView[] }>('/api/v1/notifications/rules'),
    callApi<{ snoozes: TSnoozeView[] }>('/api/v1/notifications/snoozes'),
    callApi<TBreakerList>('/api/v1/breakers?sort=name'),
    isAdmin ? callApi<{ endpoints: TEndpointView[] }>('/api/v1/notifications/endpoints') : { endpoints: [] },
    isAdmin ? callApi<{ deliveries: TNotificationDeliveryView[] }>('/api/v1/notifications/deliveries?limit=100') : { deliveries: [] },
  ]);
  return {
    rules: rules.rules,
    snoozes: snoozes.snoozes,
    breakers: breakers.breakers.map((breaker) => ({ value: `breaker:${breaker.id}`, label: `${breaker.service} / ${breaker.name}` })),
    endpoints: endpoints.endpoints,
    deliveries: deliveries.deliveries,
  };
}

/** Notifications: snoozes and rules for everyone; snoozing for operators; endpoints, rules and the log for admins. */
export function NotificationsScreen() {
  const { csrfToken } = useSession();
  const isAdmin = useCan('admin');
  const canSnooze = useCan('operator');
  const [lists, setLists] = useState<Lists>(EMPTY);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => fetchLists(isAdmin).then(setLists, (caught: unknown) => setError(caught instanceof ApiError ? caught.message : 'Could not load notifications')), [isAdmin]);
  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const run = (change: () => Promise<unknown>) => changeThenReload(change, reload, setError);
  const createEndpoint = (endpoint: TCreateEndpoint) =>
    run(async () => {
      const created = await callApi<TCreatedEndpoint>('/api/v1/notifications/endpoints', { method: 'POST', body: endpoint, csrfToken });
      setSecret({ label: `Signing secret for ${created.endpoint.name}`, value: created.secret });
    });
  const toggleEndpoint = (id: string, enabled: boolean) => run(() => callApi(`/api/v1/notifications/endpoints/${id}`, { method: 'PATCH', body: { enabled }, csrfToken }));
  const deleteEndpoint = (id: string) => run(() => callApi(`/api/v1/notifications/endpoints/${id}`, { method: 'DELETE', csrfToken }));
  const createRule = (rule: TCreateRule) => run(() => callApi('/api/v1/notifications/rules', { method: 'POST', body: rule, csrfToken }));
  const toggleRule = (id: string, enabled: boolean) => run(() => callApi(`/api/v1/notifications/rules/${id}`, { method: 'PATCH', body: { enabled }, csrfToken }));
  const deleteRule = (id: string) => run(() => callApi(`/api/v1/notifications/rules/${id}`, { method: 'DELETE', csrfToken }));
  const snooze = (body: TCreateSnooze) => run(() => callApi('/api/v1/notifications/snoozes', { method: 'POST', body, csrfToken }));
  const lift = (id: string) => run(() => callApi(`/api/v1/notifications/snoozes/${id}`, { method: 'DELETE', csrfToken }));

  return (
    <>
      {error ? <p role="alert">{error}</p> : null}
      {secret ? <OneTimeSecret label={secret.label} value={secret.value} onDismiss={() => setSecret(null)} /> : null}
      <SnoozesSection
        snoozes={lists.snoozes}
        rules={lists.rules.map((rule) => ({ value: `rule:${rule.id}`, label: rule.name }))}
        breakers={lists.breakers}
        canSnooze={canSnooze}
        onSnooze={snooze}
        onLift={lift}
      />
      <NotificationRulesSection rules={lists.rules} canEdit={isAdmin} onCreate={createRule} onToggle={toggleRule} onDelete={deleteRule} />
      {isAdmin ? (
        <>
          <NotificationEndpointsSection endpoints={lists.endpoints} onCreate={createEndpoint} onToggle={toggleEndpoint} onDelete={deleteEndpoint} />
          <DeliveryLogSection deliveries={lists.deliveries} />
        </>
      ) : null}
    </>
  );
}
