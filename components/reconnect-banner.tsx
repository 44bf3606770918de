import { formatDuration } from '../lib/format/humanize';
import styles from './reconnect-banner.module.css';

/** Says plainly that the page is not live, and how old what it shows is. */
export function ReconnectBanner({ ageSeconds }: { ageSeconds: number | null }) {
  return (
    <div role="alert" className={styles.banner}>
      <strong>Reconnecting to the server…</strong> {ageSeconds === null ? 'No data has arrived yet.' : `The data below is ${formatDuration(ageSeconds * 1000)} old and not live.`}
    </div>
  );
}
