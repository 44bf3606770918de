import type { FocusEvent, MouseEvent } from 'react';
import { edgeLabel, type EdgeLook } from './edge-look';
import styles from './map.module.css';

/**
 * One breaker of the map as a link to its page, for the keyboard and screen
 * readers (the drawing itself is a canvas). Hidden until it has the focus,
 * when it shows its name over the map while the map shows its line.
 */
export function MapEdgeLink({
  href,
  service,
  breaker,
  look,
  onOpen,
  onFocus,
  onBlur,
}: {
  href: string;
  service: string;
  breaker: string;
  look: EdgeLook;
  onOpen(event: MouseEvent<HTMLAnchorElement>): void;
  onFocus(event: FocusEvent<HTMLAnchorElement>): void;
  onBlur(event: FocusEvent<HTMLAnchorElement>): void;
}) {
  return (
    <a href={href} className={styles.edgeLink} data-status={look.status} onClick={onOpen} onFocus={onFocus} onBlur={onBlur}>
      {edgeLabel(service, breaker, look)}
    </a>
  );
}
