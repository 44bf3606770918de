import Link from 'next/link';
import type { TRole } from '../../lib/auth/roles';
import styles from './auth.module.css';

/** Who is signed in (linking to their account), which role, and sign-out: the right end of the bar above every signed-in page. */
export function AccountMenu({ email, role, onSignOut }: { email: string; role: TRole; onSignOut: () => void }) {
  return (
    <nav aria-label="Account" className={styles.account}>
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
