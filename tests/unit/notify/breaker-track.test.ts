import { describe, expect, it } from 'vitest';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import { evaluateBreaker, newTrack, type BreakerView } from '../../../server/notify/breaker-track';
import type { ActiveRule } from '../../../server/notify/event-draft';

const view = (state: TBreakerState | null, byState: Partial<Record<TBreakerState, number>> = {}, total = 4, stale = 0): BreakerView => ({
  state,
  instances: { total, stale, byState: { CLOSED: 0, OPEN: 0, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0, ...byState } },
});
const rule = (id: string, condition: ActiveRule['condition']): ActiveRule => ({ id, name: id, condition, services: [] });
const types = (drafts: Array<{ type: string }>) => drafts.map((draft) => draft.type);

describe('evaluateBreaker: single events from the service-wide state', () => {
  it('trips once when the state leaves CLOSED, stays tripped through HALF_OPEN, recovers at CLOSED', () => {
    const track = newTrack(view('CLOSED'), 0);
    expect(evaluateBreaker(track, view('CLOSED'), [], 1_000)).toEqual([]);
    expect(evaluateBreaker(track, view('OPEN'), [], 2_000, { cause: 'failure_rate', failureRate: 62.5, slowCallRate: 0 })).toEqual([
      { type: 'breaker.tripped', cause: 'failure_rate', failureRate: 62.5, slowCallRate: 0 },
    ]);
    // A second instance opening, or the breaker probing, is the same incident.
    expect(evaluateBreaker(track, view('OPEN'), [], 2_500)).toEqual([]);
    expect(evaluateBreaker(track, view('HALF_OPEN'), [], 3_000)).toEqual([]);
    expect(evaluateBreaker(track, view('OPEN'), [], 3_500)).toEqual([]);
    expect(evaluateBreaker(track, view('CLOSED'), [], 9_000)).toEqual([{ type: 'breaker.recovered', openForMs: 7_000 }]);
  });

  it('leaves the phase alone for overrides and for a fleet with no live instance', () => {
    const track = newTrack(view('CLOSED'), 0);
    expect(evaluateBreaker(track, view('FORCED_OPEN'), [], 1_000)).toEqual([]);
    expect(evaluateBreaker(track, view(null), [], 2_000)).toEqual([]);
    expect(track.phase).toBe('closed');
  });

  it('adopts the first reported state of a breaker whose instances were not live at start, unless a transition says it changed', () => {
    const quiet = newTrack(view(null), 0);
    expect(quiet.phase).toBe('unknown');
    expect(evaluateBreaker(quiet, view('OPEN'), [], 1_000)).toEqual([]);
    expect(types(evaluateBreaker(quiet, view('CLOSED'), [], 2_000))).toEqual(['breaker.recovered']);
    const moved = newTrack(view(null), 0);
    expect(types(evaluateBreaker(moved, view('OPEN'), [], 1_000, { cause: 'failure_rate', failureRate: 70, slowCallRate: 0 }))).toEqual(['breaker.tripped']);
    // A breaker first seen after start is new: its first trip is news.
    expect(types(evaluateBreaker(newTrack(null, null), view('OPEN'), [], 1_000))).toEqual(['breaker.tripped']);
  });

  it('does not announce a breaker that was already open when the server started', () => {
    const track = newTrack(view('OPEN'), 500);
    expect(evaluateBreaker(track, view('OPEN'), [], 1_000)).toEqual([]);
    expect(evaluateBreaker(track, view('CLOSED'), [], 1_500)).toEqual([{ type: 'breaker.recovered', openForMs: 1_000 }]);
  });
});

describe('evaluateBreaker: rules', () => {
  it('fires open_too_long once per incident, after the duration', () => {
    const rules = [rule('long', { kind: 'open_too_long', openForSeconds: 60 })];
    const track = newTrack(view('CLOSED'), 0);
    evaluateBreaker(track, view('OPEN'), rules, 0);
    expect(evaluateBreaker(track, view('OPEN'), rules, 59_999)).toEqual([]);
    expect(evaluateBreaker(track, view('HALF_OPEN'), rules, 60_000)).toEqual([{ type: 'rule.open_too_long', rule: { id: 'long', name: 'long' }, openForMs: 60_000, thresholdSeconds: 60 }]);
    expect(evaluateBreaker(track, view('OPEN'), rules, 120_000)).toEqual([]);
    expect(types(evaluateBreaker(track, view('CLOSED'), rules, 130_000))).toEqual(['breaker.recovered']);
    evaluateBreaker(track, view('OPEN'), rules, 200_000);
    expect(types(evaluateBreaker(track, view('OPEN'), rules, 260_000))).toEqual(['rule.open_too_long']);
  });

  it('fires instances_open above the share of live instances, and again only after falling back', () => {
    const rules = [rule('half', { kind: 'instances_open', percent: 50 })];
    const track = newTrack(view('CLOSED'), 0);
    expect(types(evaluateBreaker(track, view('OPEN', { OPEN: 2, CLOSED: 2 }), rules, 1))).toEqual(['breaker.tripped']);
    // Three of four live: one stale instance does not count.
    expect(evaluateBreaker(track, view('OPEN', { OPEN: 2, HALF_OPEN: 1 }, 4, 1), rules, 2)).toEqual([
      { type: 'rule.instances_open', rule: { id: 'half', name: 'half' }, openPercent: 100, thresholdPercent: 50, open: 3, live: 3 },
    ]);
    expect(evaluateBreaker(track, view('OPEN', { OPEN: 4 }), rules, 3)).toEqual([]);
    expect(evaluateBreaker(track, view('OPEN', { OPEN: 1, CLOSED: 3 }), rules, 4)).toEqual([]);
    expect(types(evaluateBreaker(track, view('OPEN', { OPEN: 3, CLOSED: 1 }), rules, 5))).toEqual(['rule.instances_open']);
  });

  it('summarises flapping into one event, holds back the trips while it lasts, and reports its end', () => {
    const rules = [rule('flap', { kind: 'flapping', trips: 3, windowSeconds: 10 })];
    const track = newTrack(view('CLOSED'), 0);
    const sent: string[] = [];
    let at = 0;
    for (let trip = 0; trip < 10; trip++) {
      sent.push(...types(evaluateBreaker(track, view('OPEN'), rules, (at += 500))));
      sent.push(...types(evaluateBreaker(track, view('CLOSED'), rules, (at += 500))));
    }
    expect(sent.filter((type) => type === 'breaker.tripped')).toHaveLength(3);
    expect(sent.filter((type) => type === 'rule.flapping')).toHaveLength(1);
    expect(sent).toEqual(['breaker.tripped', 'breaker.recovered', 'breaker.tripped', 'breaker.recovered', 'breaker.tripped', 'breaker.recovered', 'rule.flapping']);
    // A whole window without a trip ends it, counting every trip of the episode.
    expect(evaluateBreaker(track, view('CLOSED'), rules, at + 5_000)).toEqual([]);
    expect(evaluateBreaker(track, view('CLOSED'), rules, at + 10_000)).toEqual([
      { type: 'rule.flapping', rule: { id: 'flap', name: 'flap' }, status: 'ended', trips: 10, windowSeconds: 10, since: 3_500 },
    ]);
    expect(types(evaluateBreaker(track, view('OPEN'), rules, at + 11_000))).toEqual(['breaker.tripped']);
  });

  it('stops holding events back when the flapping rule is removed', () => {
    const rules = [rule('flap', { kind: 'flapping', trips: 1, windowSeconds: 60 })];
    const track = newTrack(view('CLOSED'), 0);
    evaluateBreaker(track, view('OPEN'), rules, 1);
    evaluateBreaker(track, view('CLOSED'), rules, 2);
    expect(types(evaluateBreaker(track, view('OPEN'), rules, 3))).toEqual(['rule.flapping']);
    expect(types(evaluateBreaker(track, view('CLOSED'), [], 4))).toEqual(['breaker.recovered']);
  });
});
