'use client';

import { useEffect, useState } from 'react';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary';
import type { TActionRequest, TActionResult, TDelivery, TOperatorActionKind, TOverrideView } from '../../../lib/control/operator-action';
import { ACTION_LABEL, ActionDialog, type DialogInstance } from '../../../components/controls/action-dialog';
import { DeliveriesList } from '../../../components/controls/deliveries-list';
import { OverrideBanner } from '../../../components/controls/override-banner';
import styles from '../../../components/controls/controls.module.css';
import { useCan, useSession } from '../../_access/access-provider';
import { ApiError, callApi } from '../../_access/api-client';
import { useBreakers } from '../../_live/live-provider';

interface ControlState {
  override: TOverrideView | null;
  lastCommand: { id: string; action: string; deliveries: TDelivery[] } | null;
}

/**
 * The override in force (for everyone) and, for operators and admins, the
 * four actions; the delivery of the latest command updates live.
 */
export function BreakerControls({ summary, instances }: { summary: TBreakerSummary; instances: DialogInstance[] }) {
  const canAct = useCan('operator');
  const { csrfToken } = useSession();
  const [dialog, setDialog] = useState<TOperatorActionKind | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [lastAction, setLastAction] = useState<string | null>(null);
  const deliveries = useBreakers((state) => state.deliveries[summary.id]);
  const setDeliveries = useBreakers((state) => state.setDeliveries);
  const overrideId = summary.override?.id ?? null;

  useEffect(() => {
    callApi<ControlState>(`/api/v1/breakers/${summary.id}/control`).then(
      (state) => {
        setLastAction(state.lastCommand?.action ?? null);
        setDeliveries(summary.id, state.lastCommand?.deliveries ?? []);
      },
      () => undefined,
    );
  }, [summary.id, overrideId, setDeliveries]);

  const confirm = async (request: TActionRequest) => {
    setBusy(true);
    setError(null);
    try {
      // A key per confirmation: a double click or a retried request acts once.
      const result = await callApi<TActionResult>(`/api/v1/breakers/${summary.id}/actions`, { method: 'POST', body: request, csrfToken, headers: { 'idempotency-key': crypto.randomUUID() } });
      setLastAction(request.action);
      setDeliveries(summary.id, result.deliveries);
      setDialog(null);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : 'The action could not be sent; nothing was changed.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-label="Controls">
      {summary.override && <OverrideBanner override={summary.override} />}
      {canAct && (
        <div className={styles.actions} role="group" aria-label="Operator actions">
          {(['trip', 'force_closed', 'reset', 'release'] as const).map((action) => (
            <button key={action} type="button" data-danger={action === 'trip' || undefined} disabled={action === 'release' && !summary.override} onClick={() => (setError(null), setDialog(action))}>
              {ACTION_LABEL[action]}
            </button>
          ))}
        </div>
      )}
      {lastAction && deliveries && <DeliveriesList action={lastAction} deliveries={deliveries} />}
      {dialog && <ActionDialog action={dialog} service={summary.service} breaker={summary.name} instances={instances} busy={busy} error={error} onConfirm={confirm} onCancel={() => setDialog(null)} />}
    </section>
  );
}
