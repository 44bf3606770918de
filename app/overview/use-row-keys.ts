import { useEffect, useRef, useState, type RefObject } from 'react';
import type { OverviewLine } from './overview-selection';

/** Fields where a key is text being typed, not a command. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
}

export interface RowKeys {
  /** The breaker the keys moved to (its row shows focus). */
  activeId: string | null;
}

/**
 * The overview's keys: `/` focuses the search, `j`/`k` move to the next or
 * previous breaker (scrolling it into view and focusing its link, so the
 * focus ring shows and `Enter` opens it), ignored while typing in a field.
 */
export function useRowKeys({
  lines,
  search,
  list,
  scrollToIndex,
  open,
}: {
  lines: OverviewLine[];
  search: RefObject<HTMLInputElement | null>;
  list: RefObject<HTMLElement | null>;
  scrollToIndex(index: number): void;
  open(id: string): void;
}): RowKeys {
  const [activeId, setActiveId] = useState<string | null>(null);
  // The listener stays bound for the page's life; it reads the latest lines and callbacks from here.
  const latest = useRef({ lines, activeId, scrollToIndex, open });
  useEffect(() => {
    latest.current = { lines, activeId, scrollToIndex, open };
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const { lines: current, activeId: active } = latest.current;
      if (event.key === '/') {
        event.preventDefault();
        search.current?.focus();
        search.current?.select();
        return;
      }
      if (event.key === 'j' || event.key === 'k') {
        event.preventDefault();
        const breakers = current.flatMap((line, index) => (line.kind === 'breaker' ? [{ id: line.id, index }] : []));
        if (!breakers.length) return;
        const at = breakers.findIndex((line) => line.id === active);
        const next = at === -1 ? (event.key === 'j' ? 0 : breakers.length - 1) : Math.min(breakers.length - 1, Math.max(0, at + (event.key === 'j' ? 1 : -1)));
        const target = breakers[next]!;
        latest.current.scrollToIndex(target.index);
        setActiveId(target.id);
        return;
      }
      // A focused link opens itself on Enter; this covers focus elsewhere in the row (its checkbox) or on the page.
      if (event.key === 'Enter' && active && !(event.target instanceof HTMLAnchorElement) && !(event.target instanceof HTMLButtonElement)) {
        event.preventDefault();
        latest.current.open(active);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [search]);

  // Focus follows the active row once the virtualiser has rendered it.
  useEffect(() => {
    if (!activeId) return;
    const frame = requestAnimationFrame(() => {
      const row = list.current?.querySelector<HTMLElement>(`[data-breaker-id="${CSS.escape(activeId)}"]`);
      row?.querySelector<HTMLAnchorElement>('a')?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [activeId, list]);

  return { activeId };
}
