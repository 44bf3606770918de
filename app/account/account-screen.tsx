'use client';

import { useState } from 'react';
import { ChangePasswordForm } from '../../components/auth/change-password-form';
import { useSession } from '../_access/access-provider';
import { ApiError, callApi } from '../_access/api-client';

/** The signed-in user's own account: for now, changing the password (the one an admin handed over, above all). */
export function AccountScreen() {
  const { user, csrfToken } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);
  const change = async (currentPassword: string, newPassword: string) => {
    setPending(true);
    setError(null);
    setDone(false);
    try {
      await callApi('/api/v1/auth/password', { method: 'POST', body: { currentPassword, newPassword }, csrfToken });
      setDone(true);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The panel could not be reached; try again.');
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <p>
        Signed in as {user.email} ({user.role}).
      </p>
      <ChangePasswordForm onSubmit={change} error={error} done={done} pending={pending} />
    </>
  );
}
