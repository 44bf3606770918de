import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../lib/history/csv';
import { deployMarks } from '../../../lib/history/deploys';
import { instanceSegments, serviceSegments } from '../../../lib/history/segments';

describe('toCsv', () => {
  it('writes a header row and quotes commas, quotes, line breaks and formula starts', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          ['x,y', 'say "hi"', 'two\nlines'],
          [1.5, null, '=SUM(A1)'],
          [-3, true, ''],
        ],
      ),
    ).toBe('a,b,c\r\n"x,y","say ""hi""","two\nlines"\r\n1.5,,"\'=SUM(A1)"\r\n-3,true,\r\n');
  });
});

describe('lane segments', () => {
  it('draws an instance from its starting state through its transitions, then STALE once it stopped reporting', () => {
    const lane = instanceSegments(
      {
        initial: 'CLOSED',
        transitions: [
          { at: 20, from: 'CLOSED', to: 'OPEN' },
          { at: 30, from: 'OPEN', to: 'CLOSED' },
        ],
        firstSeenAt: 0,
        staleFrom: 80,
      },
      10,
      100,
    );
    expect(lane).toEqual([
      { state: 'CLOSED', from: 10, to: 20 },
      { state: 'OPEN', from: 20, to: 30 },
      { state: 'CLOSED', from: 30, to: 80 },
      { state: 'STALE', from: 80, to: 100 },
    ]);
  });

  it('takes the most severe live state across instances, STALE only when all are stale', () => {
    const a = [
      { state: 'CLOSED' as const, from: 0, to: 50 },
      { state: 'STALE' as const, from: 50, to: 100 },
    ];
    const b = [
      { state: 'HALF_OPEN' as const, from: 0, to: 20 },
      { state: 'CLOSED' as const, from: 20, to: 60 },
      { state: 'STALE' as const, from: 60, to: 100 },
    ];
    expect(serviceSegments([a, b], 0, 100)).toEqual([
      { state: 'HALF_OPEN', from: 0, to: 20 },
      { state: 'CLOSED', from: 20, to: 60 },
      { state: 'STALE', from: 60, to: 100 },
    ]);
  });
});

describe('deployMarks', () => {
  it('marks a new version once per rollout, with the instances that moved to it; restarts and new instances on the running version are no deploy', () => {
    const runs = [
      { service: 's', instance: 'a', startedAt: 0, version: '1.0' },
      { service: 's', instance: 'b', startedAt: 1, version: '1.0' },
      { service: 's', instance: 'a', startedAt: 100, version: '1.0' },
      { service: 's', instance: 'a', startedAt: 1000, version: '1.1' },
      { service: 's', instance: 'b', startedAt: 2000, version: '1.1' },
      { service: 's', instance: 'c', startedAt: 2500, version: '1.1' },
    ];
    expect(deployMarks(runs, 50, 10_000)).toEqual([{ at: 1000, service: 's', version: '1.1', previous: '1.0', instances: ['a', 'b'] }]);
  });
});
