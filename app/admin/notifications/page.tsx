import { readPageSession } from '../../_access/page-session';
import { NotificationsScreen } from './notifications-screen';
import styles from '../../page.module.css';

export const metadata = { title: 'Notifications · Breaker Panel' };

/** Every signed-in user sees what is snoozed; what else the screen offers follows the role. */
export default async function NotificationsPage() {
  const session = await readPageSession();
  return (
    <main className={styles.page}>
      <h1 className={styles.title}>Notifications</h1>
      {session ? <NotificationsScreen /> : null}
    </main>
  );
}
