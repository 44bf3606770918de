import { breakerStatus, STATUS_LABEL, UNHEALTHY, type TBreakerStatus } from '../../lib/api/breaker-status';
import type { TBreakerSummary } from '../../lib/api/breaker-summary';

/** What an edge shows of its breaker: a status and the instance counts behind it. */
export interface EdgeLook {
  status: TBreakerStatus;
  /** Instances in OPEN or FORCED_OPEN. */
  open: number;
  halfOpen: number;
  total: number;
  stale: number;
}

const NO_DATA: EdgeLook = { status: 'no_data', open: 0, halfOpen: 0, total: 0, stale: 0 };

export function edgeLookOf(summary: TBreakerSummary | undefined): EdgeLook {
  if (!summary) return NO_DATA;
  const { byState, total, stale } = summary.instances;
  return { status: breakerStatus(summary), open: byState.OPEN + byState.FORCED_OPEN, halfOpen: byState.HALF_OPEN, total, stale };
}

/** "2/3 open", "1/3 half-open", "3 live · 1 stale": the instance counts in words. */
export function edgeCounts({ open, halfOpen, total, stale }: EdgeLook): string {
  const main = open > 0 ? `${open}/${total} open` : halfOpen > 0 ? `${halfOpen}/${total} half-open` : `${total - stale}/${total} live`;
  return stale > 0 ? `${main} · ${stale} stale` : main;
}

/** An edge's name for screen readers and its tooltip: `checkout → payments-api: Open, 2/3 open`. */
export function edgeLabel(service: string, breaker: string, look: EdgeLook): string {
  return `${service} → ${breaker}: ${STATUS_LABEL[look.status]}, ${edgeCounts(look)}`;
}

/** Whether the breaker counts as tripped on its dependency's node: open or half-open somewhere (a stale reporter is not a trip). */
export function isTripped(look: EdgeLook): boolean {
  return UNHEALTHY.has(look.status) && look.status !== 'stale';
}

const QUIET: ReadonlySet<TBreakerStatus> = new Set(['closed', 'idle', 'no_data']);

/** The short count written in the middle of an unhealthy edge (`2/3`, `1 stale`); none on a quiet one. */
export function edgeBadge(look: EdgeLook): string | null {
  if (QUIET.has(look.status)) return null;
  if (look.open > 0) return `${look.open}/${look.total}`;
  if (look.halfOpen > 0) return `${look.halfOpen}/${look.total}`;
  return look.stale > 0 ? `${look.stale} stale` : null;
}

/** How an edge's line is drawn: besides colour, unhealthy lines are thicker and opaque, forced ones dashed, stale ones dotted. */
export interface EdgeLine {
  /** The CSS custom property holding the colour, so the line follows the theme. */
  colour: string;
  width: number;
  dash: readonly number[];
  opacity: number;
}

const THIN = { width: 1.25, dash: [], opacity: 0.55 } as const;
const THICK = { width: 2.5, dash: [], opacity: 1 } as const;
const DASHED = [7, 3] as const;

export const EDGE_LINE: Record<TBreakerStatus, EdgeLine> = {
  open: { ...THICK, colour: '--state-open' },
  stuck: { ...THICK, colour: '--state-open' },
  forced_open: { ...THICK, colour: '--state-forced-open', dash: DASHED },
  half_open: { ...THICK, colour: '--state-half-open' },
  forced_closed: { ...THIN, colour: '--state-forced-closed', dash: DASHED },
  stale: { colour: '--state-stale', width: 1.25, dash: [2, 3], opacity: 0.9 },
  closed: { ...THIN, colour: '--state-closed' },
  idle: { ...THIN, colour: '--muted' },
  no_data: { ...THIN, colour: '--muted' },
};

/** Quiet lines first, so the unhealthy ones are drawn over them. */
export const DRAW_ORDER: readonly TBreakerStatus[] = ['no_data', 'idle', 'closed', 'forced_closed', 'stale', 'half_open', 'forced_open', 'stuck', 'open'];
