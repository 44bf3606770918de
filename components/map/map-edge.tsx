import type { FocusEvent, MouseEvent } from 'react';
import { edgeLabel, type EdgeLook } from './edge-look';

/**
 * One breaker of the map as a link to its page, for the keyboard and screen
 * readers (the drawing itself is a canvas). Out of sight: while it has the
 * focus the map shows its line and its name.
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
    <a href={href} data-status={look.status} onClick={onOpen} onFocus={onFocus} onBlur={onBlur}>
      {edgeLabel(service, breaker, look)}
    </a>
  );
}
