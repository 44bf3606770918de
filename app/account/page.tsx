import styles from '../page.module.css';
import { AccountScreen } from './account-screen';

export const metadata = { title: 'Account · Breaker Panel' };

export default function AccountPage() {
  return (
    <main className={styles.page}>
      <h1 className={styles.title}>Your account</h1>
      <AccountScreen />
    </main>
  );
}
