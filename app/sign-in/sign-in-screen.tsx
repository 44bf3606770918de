'use client';

import { useState } from 'react';
import { safeNextPath } from '../../lib/auth/safe-next-path';
import { SignInForm } from '../../components/auth/sign-in-form';
import { ApiError, callApi } from '../_access/api-client';

export function SignInScreen({ next }: { next: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const signIn = async (email: string, password: string) => {
    setPending(true);
    setError(null);
    try {
      await callApi('/api/v1/auth/sign-in', { method: 'POST', body: { email, password } });
      // A full load, so that the server renders the page with the new session; judged again where it is followed.
      window.location.assign(safeNextPath(next));
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The panel could not be reached; try again.');
      setPending(false);
    }
  };
  return (
    <main>
      <SignInForm onSubmit={signIn} error={error} pending={pending} />
    </main>
  );
}
