import Link from 'next/link';
import type { TRole } from '../../lib/auth/roles';
import styles from './auth.module.css';

/** The bar above every signed-in page: who (linking to their account), which role, admin link, sign-out. */
export function AccountMenu({ email, role, showAdmin, onSignOut }: { email: string; role: TRole; showAdmin: boolean; onSignOut: () => void }) {
  return (
    <nav aria-label="Account" className={styles.accountBar}>
      <Link href="/">Overview</Link>
      <Link href="/admin/notifications">Notifications</Link>
      {showAdmin ? <Link href="/admin">Admin</Link> : null}
      <span className={styles.spacer} />
      <span className={styles.who}>
        <Link href="/account" title="Your account: change your password">
          {email}
        </Link>{' '}
        <span className={styles.role}>{role}</span>
      </span>
      <button type="button" className={styles.linkButton} onClick={onSignOut}>
        Sign out
      </button>
    </nav>
  );
}
