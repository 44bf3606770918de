import type { EventDraft } from './event-draft';

const duration = (ms: number | null) => {
  if (ms === null) return 'an unknown time';
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
};

/** The one line a person reads first, in Slack or a pager: what, where, how bad. */
export function eventText(draft: EventDraft, where: { service: string; breaker: string }): string {
  const name = `${where.service} / ${where.breaker}`;
  switch (draft.type) {
    case 'breaker.tripped':
      return `🔴 ${name} tripped${draft.failureRate === null ? '' : ` (failure rate ${draft.failureRate.toFixed(1)} %)`}`;
    case 'breaker.recovered':
      return `🟢 ${name} recovered after ${duration(draft.openForMs)}`;
    case 'breaker.overridden':
      return `🛠 ${name} ${draft.override.state === 'FORCED_OPEN' ? 'tripped by hand' : 'forced closed'}${draft.override.by ? ` by ${draft.override.by}` : ''}${draft.override.reason ? `: ${draft.override.reason}` : ''}`;
    case 'breaker.override_ended':
      return `🛠 ${name}: override ${draft.how === 'expired' ? 'expired' : 'released'}, automatic behaviour resumes`;
    case 'rule.open_too_long':
      return `⏱ ${name} has been open for ${duration(draft.openForMs)} (rule “${draft.rule.name}”)`;
    case 'rule.instances_open':
      return `⚠️ ${name}: ${draft.open} of ${draft.live} instances open (${draft.openPercent} % > ${draft.thresholdPercent} %, rule “${draft.rule.name}”)`;
    case 'rule.flapping':
      return draft.status === 'started'
        ? `🔁 ${name} is flapping: ${draft.trips} trips in ${duration(draft.windowSeconds * 1000)}; single trip events are held back until it settles (rule “${draft.rule.name}”)`
        : `🔁 ${name} stopped flapping after ${draft.trips} trips (rule “${draft.rule.name}”)`;
    default: {
      const unknown: never = draft;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}
