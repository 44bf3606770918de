'use client';

import { usePathname } from 'next/navigation';
import { AccountMenu } from '../../components/auth/account-menu';
import styles from '../../components/auth/auth.module.css';
import { PageNav } from '../../components/nav/page-nav';
import { callApi } from './api-client';
import { useSession } from './access-provider';

/** The bar above every signed-in page: every page the role may open, who is signed in, and sign-out. */
export function AccountBar() {
  const { user, csrfToken } = useSession();
  const pathname = usePathname();
  const signOut = async () => {
    await callApi('/api/v1/auth/sign-out', { method: 'POST', csrfToken }).catch(() => undefined);
    // A full load on purpose: the server renders the next page without the ended session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign('/sign-in');
  };
  return (
    <header className={styles.accountBar}>
      <PageNav pathname={pathname} showAdmin={user.role === 'admin'} />
      <span className={styles.spacer} />
      <AccountMenu email={user.email} role={user.role} onSignOut={signOut} />
    </header>
  );
}
