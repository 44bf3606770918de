import Link from 'next/link';
import styles from './page-nav.module.css';

/** A page in the bar: `match` tells which paths belong to it (the overview owns the breaker pages it opens). */
interface NavPage {
  href: string;
  label: string;
  adminOnly?: boolean;
  match(pathname: string): boolean;
}

const PAGES: NavPage[] = [
  { href: '/', label: 'Overview', match: (path) => path === '/' || path.startsWith('/breakers/') },
  { href: '/map', label: 'Map', match: (path) => path.startsWith('/map') },
  { href: '/history', label: 'History', match: (path) => path.startsWith('/history') },
  { href: '/audit', label: 'Audit', match: (path) => path.startsWith('/audit') },
  { href: '/admin/notifications', label: 'Notifications', match: (path) => path.startsWith('/admin/notifications') },
  { href: '/admin', label: 'Admin', adminOnly: true, match: (path) => path === '/admin' },
];

/** Every page, the current one marked; Admin only for admins (the server refuses the rest anyway). */
export function PageNav({ pathname, showAdmin }: { pathname: string; showAdmin: boolean }) {
  return (
    <nav aria-label="Pages" className={styles.pages}>
      {PAGES.filter((page) => showAdmin || !page.adminOnly).map((page) => (
        <Link key={page.href} href={page.href} aria-current={page.match(pathname) ? 'page' : undefined} className={styles.link}>
          {page.label}
        </Link>
      ))}
    </nav>
  );
}
