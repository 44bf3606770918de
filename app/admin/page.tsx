import Link from 'next/link';
import { readPageSession } from '../_access/page-session';
import { AdminScreen } from './admin-screen';
import { SourcesScreen } from './sources-screen';
import styles from '../page.module.css';

export const metadata = { title: 'Admin · Breaker Panel' };

export default async function AdminPage() {
  const session = await readPageSession();
  return (
    <main className={styles.page}>
      <h1 className={styles.title}>Admin</h1>
      {session?.user.role === 'admin' ? (
        <>
          <AdminScreen />
          <SourcesScreen />
        </>
      ) : (
        <p className={styles.empty}>Only admins manage users, API keys and sources.</p>
      )}
      <p>
        <Link href="/admin/notifications">Notifications</Link>: webhooks, rules, snoozes and the delivery log.
      </p>
    </main>
  );
}
