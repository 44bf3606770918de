'use client';

import { AccountMenu } from '../../components/auth/account-menu';
import { callApi } from './api-client';
import { useSession } from './access-provider';

/** Who is signed in, the admin link for admins, and sign-out. */
export function AccountBar() {
  const { user, csrfToken } = useSession();
  const signOut = async () => {
    await callApi('/api/v1/auth/sign-out', { method: 'POST', csrfToken }).catch(() => undefined);
    // A full load on purpose: the server renders the next page without the ended session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign('/sign-in');
  };
  return <AccountMenu email={user.email} role={user.role} showAdmin={user.role === 'admin'} onSignOut={signOut} />;
}
