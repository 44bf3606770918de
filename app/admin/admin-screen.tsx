'use client';

import { useCallback, useEffect, useState } from 'react';
import type { TApiKeyListItem, TCreatedApiKey } from '../../lib/auth/api-keys';
import type { TRole } from '../../lib/auth/roles';
import type { TInvitedUser, TPasswordReset, TUserListItem } from '../../lib/auth/users';
import { ApiKeysSection } from '../../components/admin/api-keys-section';
import { OneTimeSecret } from '../../components/admin/one-time-secret';
import { UsersSection } from '../../components/admin/users-section';
import { useSession } from '../_access/access-provider';
import { ApiError, callApi } from '../_access/api-client';
import { changeThenReload } from '../_access/change-then-reload';

const fetchLists = async () => {
  const [userList, keyList] = await Promise.all([callApi<{ users: TUserListItem[] }>('/api/v1/users'), callApi<{ keys: TApiKeyListItem[] }>('/api/v1/api-keys')]);
  return { users: userList.users, keys: keyList.keys };
};

/** Users and API keys: loads both lists, and reloads them after every change. */
export function AdminScreen() {
  const { user, csrfToken } = useSession();
  const [users, setUsers] = useState<TUserListItem[]>([]);
  const [keys, setKeys] = useState<TApiKeyListItem[]>([]);
  const [secret, setSecret] = useState<{ label: string; value: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(
    () =>
      fetchLists().then(
        (lists) => {
          setUsers(lists.users);
          setKeys(lists.keys);
        },
        (caught: unknown) => setError(caught instanceof ApiError ? caught.message : 'Could not load the lists'),
      ),
    [],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const run = (change: () => Promise<unknown>) => changeThenReload(change, reload, setError);
  const invite = (email: string, role: TRole) =>
    run(async () => {
      const invited = await callApi<TInvitedUser>('/api/v1/users', { method: 'POST', body: { email, role }, csrfToken });
      setSecret({ label: `Temporary password for ${invited.user.email}`, value: invited.temporaryPassword });
    });
  const changeRole = (id: string, role: TRole) => run(() => callApi(`/api/v1/users/${id}`, { method: 'PATCH', body: { role }, csrfToken }));
  const disable = (id: string) => run(() => callApi(`/api/v1/users/${id}`, { method: 'PATCH', body: { disabled: true }, csrfToken }));
  const resetPassword = (id: string) =>
    run(async () => {
      const reset = await callApi<TPasswordReset>(`/api/v1/users/${id}/password-reset`, { method: 'POST', csrfToken });
      setSecret({ label: `New temporary password for ${reset.user.email}`, value: reset.temporaryPassword });
    });
  const createKey = (service: string, description: string) =>
    run(async () => {
      const created = await callApi<TCreatedApiKey>('/api/v1/api-keys', { method: 'POST', body: { service, description: description || undefined }, csrfToken });
      setSecret({ label: `New API key for ${created.serviceName}`, value: created.key });
    });
  const revoke = (id: string) => run(() => callApi(`/api/v1/api-keys/${id}`, { method: 'DELETE', csrfToken }));

  return (
    <>
      {error ? <p role="alert">{error}</p> : null}
      {secret ? <OneTimeSecret label={secret.label} value={secret.value} onDismiss={() => setSecret(null)} /> : null}
      <UsersSection users={users} currentUserId={user.id} onInvite={invite} onChangeRole={changeRole} onDisable={disable} onResetPassword={resetPassword} />
      <ApiKeysSection keys={keys} onCreate={createKey} onRevoke={revoke} />
    </>
  );
}
