import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_LEAD_MS, episodesOf, type TEpisodeTransition } from '../../../lib/history/episodes';
import type { TBreakerState } from '../../../lib/protocol/breaker-state';

const FROM = 1_000_000;
const TO = 2_000_000;

function move(instance: string | null, at: number, from: TBreakerState | null, to: TBreakerState, extra: Partial<TEpisodeTransition> = {}): TEpisodeTransition {
  const cause = instance === null ? 'manual' : to === 'OPEN' ? 'failure_rate' : to === 'HALF_OPEN' ? 'open_timeout_elapsed' : 'trials_succeeded';
  return { instance, at, from, to, cause, failureRate: to === 'OPEN' ? 60 : null, slowCallRate: to === 'OPEN' ? 5 : null, ...extra };
}
const run = (transitions: TEpisodeTransition[], initial: Record<string, TBreakerState> = {}) => episodesOf({ from: FROM, to: TO, initial: new Map(Object.entries(initial)), transitions });

describe('episodesOf', () => {
  it('makes one episode of overlapping instance outages, from the first trip to the last recovery', () => {
    const episodes = run([
      move('web-1', 1_100_000, 'CLOSED', 'OPEN', { failureRate: 55 }),
      move('web-2', 1_105_000, 'CLOSED', 'OPEN', { failureRate: 80, slowCallRate: 12 }),
      move('web-1', 1_110_000, 'OPEN', 'HALF_OPEN'),
      move('web-1', 1_111_000, 'HALF_OPEN', 'CLOSED'),
      move('web-2', 1_120_000, 'OPEN', 'HALF_OPEN'),
      move('web-2', 1_121_000, 'HALF_OPEN', 'CLOSED'),
      move('web-3', 1_500_000, 'CLOSED', 'OPEN'),
      move('web-3', 1_510_000, 'OPEN', 'CLOSED'),
    ]);
    expect(episodes).toHaveLength(2);
    expect(episodes[0]).toMatchObject({
      start: 1_100_000,
      end: 1_121_000,
      durationMs: 21_000,
      instances: ['web-1', 'web-2'],
      peakFailureRate: 80,
      peakSlowCallRate: 12,
      openings: 2,
      beganBeforeRange: false,
      openAtEnd: false,
    });
    expect(episodes[1]).toMatchObject({ start: 1_500_000, end: 1_510_000, instances: ['web-3'] });
  });

  it('keeps a flapping breaker in one episode until it closes, counting every opening', () => {
    const episodes = run([
      move('web-1', 1_100_000, 'CLOSED', 'OPEN', { failureRate: 50 }),
      move('web-1', 1_105_000, 'OPEN', 'HALF_OPEN'),
      move('web-1', 1_106_000, 'HALF_OPEN', 'OPEN', { cause: 'trial_failed', failureRate: 90 }),
      move('web-1', 1_111_000, 'OPEN', 'HALF_OPEN'),
      move('web-1', 1_112_000, 'HALF_OPEN', 'OPEN', { cause: 'trial_failed', failureRate: 70 }),
      move('web-1', 1_117_000, 'OPEN', 'HALF_OPEN'),
      move('web-1', 1_118_000, 'HALF_OPEN', 'CLOSED'),
    ]);
    expect(episodes).toEqual([expect.objectContaining({ start: 1_100_000, end: 1_118_000, openings: 3, peakFailureRate: 90, instances: ['web-1'] })]);
  });

  it('leaves an episode still open at the end of the range without an end, its duration up to the range end', () => {
    const episodes = run([move('web-1', 1_900_000, 'CLOSED', 'OPEN'), move('web-1', 1_950_000, 'OPEN', 'HALF_OPEN')]);
    expect(episodes).toEqual([expect.objectContaining({ start: 1_900_000, end: null, durationMs: 100_000, openAtEnd: true, beganBeforeRange: false })]);
  });

  it('starts an episode at the range start when an instance was already tripped before it', () => {
    const episodes = run([move('web-1', 1_050_000, 'OPEN', 'HALF_OPEN'), move('web-1', 1_060_000, 'HALF_OPEN', 'CLOSED')], { 'web-1': 'OPEN', 'web-2': 'CLOSED' });
    expect(episodes).toEqual([expect.objectContaining({ start: FROM, end: 1_060_000, durationMs: 60_000, beganBeforeRange: true, instances: ['web-1'], openings: 0 })]);
  });

  it("reads an instance without an earlier transition as being in its first transition's `from`", () => {
    const episodes = run([move('web-1', 1_050_000, 'HALF_OPEN', 'CLOSED')]);
    expect(episodes).toEqual([expect.objectContaining({ start: FROM, end: 1_050_000, beganBeforeRange: true })]);
  });

  it('spans the whole range for a breaker tripped throughout', () => {
    expect(run([], { 'web-1': 'FORCED_OPEN' })).toEqual([expect.objectContaining({ start: FROM, end: null, durationMs: TO - FROM, beganBeforeRange: true, openAtEnd: true })]);
  });

  it('does not count FORCED_CLOSED as a trip, but does count FORCED_OPEN', () => {
    expect(run([move('web-1', 1_100_000, 'CLOSED', 'FORCED_CLOSED', { cause: 'command' }), move('web-1', 1_200_000, 'FORCED_CLOSED', 'CLOSED', { cause: 'command' })])).toEqual([]);
    expect(run([move('web-1', 1_100_000, 'CLOSED', 'FORCED_OPEN', { cause: 'command' }), move('web-1', 1_200_000, 'FORCED_OPEN', 'CLOSED', { cause: 'command' })])).toHaveLength(1);
  });

  it("attaches the operator's actions inside an episode, including the panel row just before the instances applied it", () => {
    const trip = move(null, 1_100_000, null, 'FORCED_OPEN');
    const release = move(null, 1_300_000, 'FORCED_OPEN', 'CLOSED');
    const episodes = run([
      trip,
      move('web-1', 1_100_000 + ACTION_LEAD_MS - 1, 'CLOSED', 'FORCED_OPEN', { cause: 'command' }),
      release,
      move('web-1', 1_300_500, 'FORCED_OPEN', 'CLOSED', { cause: 'command' }),
      move(null, 1_600_000, null, 'FORCED_CLOSED'),
    ]);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]!.actions.map((action) => [action.instance, action.at])).toEqual([
      [null, 1_100_000],
      ['web-1', 1_100_000 + ACTION_LEAD_MS - 1],
      [null, 1_300_000],
      ['web-1', 1_300_500],
    ]);
  });

  it('keeps episodes disjoint and ordered, within the range, for any sequence of instance transitions', () => {
    const states: TBreakerState[] = ['CLOSED', 'OPEN', 'HALF_OPEN', 'FORCED_OPEN', 'FORCED_CLOSED'];
    const arbitrary = fc.array(fc.record({ instance: fc.constantFrom('a', 'b', 'c'), offset: fc.integer({ min: 0, max: TO - FROM - 1 }), to: fc.constantFrom(...states) }), { maxLength: 60 });
    const initial = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(...states));
    fc.assert(
      fc.property(arbitrary, initial, (steps, start) => {
        // Give each step a consistent `from`: the instance's previous state.
        const current = new Map(Object.entries(start));
        const transitions = [...steps]
          .sort((x, y) => x.offset - y.offset)
          .map((step) => {
            const from = current.get(step.instance) ?? 'CLOSED';
            current.set(step.instance, step.to);
            return move(step.instance, FROM + step.offset, from, step.to);
          });
        const episodes = episodesOf({ from: FROM, to: TO, initial: new Map(Object.entries(start)), transitions });
        let previousEnd = FROM - 1;
        for (const [index, episode] of episodes.entries()) {
          expect(episode.start).toBeGreaterThanOrEqual(FROM);
          expect(episode.start).toBeGreaterThanOrEqual(previousEnd);
          expect(episode.durationMs).toBe((episode.end ?? TO) - episode.start);
          expect(episode.durationMs).toBeGreaterThanOrEqual(0);
          expect(episode.openAtEnd).toBe(index === episodes.length - 1 && episode.end === null);
          expect(episode.beganBeforeRange).toBe(index === 0 && episode.start === FROM && [...Object.values(start)].some((state) => ['OPEN', 'HALF_OPEN', 'FORCED_OPEN'].includes(state)));
          expect(episode.instances.length).toBeGreaterThan(0);
          previousEnd = episode.end ?? TO;
        }
        // Every trip from CLOSED lies inside some episode.
        for (const transition of transitions.filter((candidate) => candidate.to === 'OPEN')) {
          expect(episodes.some((episode) => transition.at >= episode.start && transition.at <= (episode.end ?? TO))).toBe(true);
        }
      }),
    );
  });
});
