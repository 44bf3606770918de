import { describe, expect, it } from 'vitest';
import type { TBreakerInstance } from '../../../lib/api/breaker-detail.js';
import type { TBreakerConfig } from '../../../lib/protocol/breaker-config.js';
import type { BreakerPartial } from '../../../server/aggregate/breaker-views';
import { COUNT_WIDTH, countRow } from '../../../server/aggregate/counter-deltas';
import { checkEntry } from '../../../server/cluster/part-check';
import { createPartDecoder } from '../../../server/cluster/part-decoder';
import { BatchConfigs, createPartEncoder, packWindow } from '../../../server/cluster/part-encoder';
import { PART_FORMAT, ZPartBatch, type TPartBatch, type TWirePart } from '../../../server/cluster/part-wire';
import { breakerConfig } from '../../fixtures/protocol-messages';

const BREAKER = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const CONFIG: TBreakerConfig = { ...breakerConfig, window: { type: 'count', size: 10 } };

function partialWith(values: number[], width = COUNT_WIDTH): BreakerPartial {
  const row = countRow();
  row.set(values);
  return {
    id: BREAKER,
    service: 'checkout',
    name: 'payments',
    byState: { CLOSED: 1, OPEN: 1, HALF_OPEN: 0, FORCED_OPEN: 0, FORCED_CLOSED: 0 },
    wouldBe: 'OPEN',
    total: 2,
    stale: 0,
    state: 'OPEN',
    stateSince: 1_000,
    lastReportAt: 2_000,
    window: { row, width, start: 500 },
    clients: { kinds: ['node-sdk', 'python'], httpInstances: 1 },
  };
}

// The registration's own object, as the aggregate's rows carry it: a new one is a new setting.
const LABELS = { zone: 'a' };

const rowOf = (instanceId: string, lastReportAt: number, extra: Partial<TBreakerInstance> = {}): TBreakerInstance => ({
  instanceId,
  name: instanceId,
  labels: LABELS,
  state: 'CLOSED',
  wouldBe: 'CLOSED',
  stale: false,
  lastReportAt,
  stateSince: 100,
  window: { calls: 10, failureRate: 12.5, slowCallRate: 0 },
  config: null,
  client: { kind: 'node-sdk', sdk: '@breaker-panel/sdk typescript', transport: 'socket', readOnly: false },
  ...extra,
});

/** A part alone in a batch as it travels: JSON, then the reader's checks; and the batch's configs. */
function travel(encode: (configs: BatchConfigs) => TWirePart): [TWirePart, TBreakerConfig[]] {
  const configs = new BatchConfigs();
  const batch = ZPartBatch.parse(JSON.parse(JSON.stringify({ format: PART_FORMAT, configs: configs.list, parts: [encode(configs)] } satisfies TPartBatch)));
  const entry = checkEntry(batch.parts[0], batch.configs.length);
  if (typeof entry === 'string' || entry.length !== 6) throw new Error(`not a part: ${String(entry)}`);
  return [entry, batch.configs];
}

describe('parts on the wire', () => {
  it('packs a window’s runs of zeros and gives back the same counts and width', () => {
    const rows = [[], [5], [0, 0, 0, 7], [1, 0, 2, 0, 0, 3, 0, 0, 0], Array.from({ length: COUNT_WIDTH }, (_, i) => (i % 5 === 0 ? i : 0)), Array.from({ length: COUNT_WIDTH }, (_, i) => i + 1)];
    const encoder = createPartEncoder();
    const decoder = createPartDecoder();
    for (const values of rows) {
      const partial = partialWith(values, Math.max(values.length, 6));
      const decoded = decoder.decode(...travel((configs) => encoder.encode(partial, [rowOf('i-1', 1)], false, configs)))!;
      expect({ row: Array.from(decoded.partial.window.row), width: decoded.partial.window.width, start: decoded.partial.window.start }).toEqual({
        row: Array.from(partial.window.row),
        width: partial.window.width,
        start: 500,
      });
      expect(decoded.partial).toEqual({ ...partial, window: decoded.partial.window });
    }
    expect(packWindow({ row: partialWith([1, 0, 2, 0, 0, 3]).window.row, width: 10, start: 9 })).toEqual([9, 10, 1, 0, 2, -2, 3]);
  });

  it('updates the rows it has in place, and sends the names and held instances only when they change', () => {
    const encoder = createPartEncoder();
    const decoder = createPartDecoder();
    const first = travel((configs) => encoder.encode(partialWith([1]), [rowOf('i-1', 1), rowOf('i-2', 1)], false, configs));
    expect(first[0][5]).toEqual(['checkout', 'payments']);
    const taken = decoder.decode(...first)!;
    const [one, two] = taken.rows;
    const [next] = travel((configs) => encoder.encode(partialWith([2]), [rowOf('i-1', 2, { state: 'OPEN', window: null }), rowOf('i-2', 1)], false, configs));
    expect([next[4], next[5], next[3].length]).toEqual([null, null, 1]);
    const moved = decoder.decode(next, [])!;
    expect(moved.rows).toBe(taken.rows);
    expect(moved.rows[0]).toBe(one);
    expect(one).toMatchObject({ state: 'OPEN', lastReportAt: 2, window: null, name: 'i-1', labels: { zone: 'a' } });
    expect(two).toEqual(rowOf('i-2', 1));
    // A report in the same state: the last report and the window alone.
    const [reported] = travel((configs) =>
      encoder.encode(partialWith([2]), [rowOf('i-1', 2, { state: 'OPEN', window: null }), rowOf('i-2', 5, { window: { calls: 3, failureRate: 0, slowCallRate: 1 } })], false, configs),
    );
    expect(reported[3]).toEqual([['i-2', 5, 3, 0, 1]]);
    decoder.decode(reported, []);
    expect(two).toEqual(rowOf('i-2', 5, { window: { calls: 3, failureRate: 0, slowCallRate: 1 } }));
    // i-2 goes: the held instances come again, and the reader keeps i-1 as it had it.
    const [fewer] = travel((configs) => encoder.encode(partialWith([3]), [rowOf('i-1', 2, { state: 'OPEN', window: null })], false, configs));
    expect([fewer[4], fewer[3]]).toEqual([['i-1'], []]);
    expect(decoder.decode(fewer, [])!.rows).toEqual([one]);
  });

  it('names each config once in a batch, however many instances carry it', () => {
    const config = (size: number): TBreakerConfig => ({ ...CONFIG, window: { type: 'count', size } });
    const encoder = createPartEncoder();
    const configs = new BatchConfigs();
    const parts = [0, 1].map((p) =>
      encoder.encode({ ...partialWith([1]), id: `${BREAKER.slice(0, -1)}${p}` }, [rowOf(`i-${p}`, 1, { config: config(10) }), rowOf(`j-${p}`, 1, { config: config(20) })], false, configs),
    );
    expect(configs.list).toEqual([config(10), config(20)]);
    expect(parts.map((part) => part[3].map((row) => row[9]?.[2]))).toEqual([
      [0, 1],
      [0, 1],
    ]);
    const decoded = createPartDecoder().decode(parts[1]!, configs.list)!;
    expect(decoded.rows.map((row) => row.config)).toEqual([config(10), config(20)]);
  });

  it('takes no part of a breaker whose names or held instances it never had', () => {
    const encoder = createPartEncoder();
    encoder.encode(partialWith([1]), [rowOf('i-1', 1)], false, new BatchConfigs());
    const later = travel((configs) => encoder.encode(partialWith([2]), [rowOf('i-1', 2)], false, configs));
    expect(createPartDecoder().decode(...later)).toBeNull();
    // Held instances named, one of them without the setting it never had.
    const decoder = createPartDecoder();
    decoder.decode(...travel((configs) => createPartEncoder().encode(partialWith([1]), [rowOf('i-1', 1)], false, configs)));
    const [part] = travel((configs) => encoder.encode(partialWith([3]), [rowOf('i-1', 3), rowOf('i-9', 3)], false, configs));
    const withoutSetting: TWirePart = [part[0], part[1], part[2], part[3].map((row) => row.slice(0, 9) as (typeof part)[3][number]), part[4], part[5]];
    expect(decoder.decode(withoutSetting, [])).toBeNull();
    expect(decoder.decode(part, [])!.rows.map((row) => row.instanceId)).toEqual(['i-1', 'i-9']);
  });

  it('leaves out what it does not understand: another format, a part of another shape', () => {
    expect(ZPartBatch.safeParse({ parts: [] }).success).toBe(false);
    expect(ZPartBatch.safeParse({ format: 3, configs: [], parts: [] }).success).toBe(false);
    expect(ZPartBatch.safeParse({ format: 2, configs: [{ implementation: 'breaker-panel' }], parts: [] }).success).toBe(false);
    expect(ZPartBatch.safeParse({ format: 2, configs: [CONFIG], parts: [] }).success).toBe(true);
    const good = JSON.parse(JSON.stringify(createPartEncoder().encode(partialWith([1, 0, 0, 2]), [rowOf('i-1', 1)], false, new BatchConfigs()))) as unknown[];
    expect(typeof checkEntry(good, 0)).not.toBe('string');
    expect(checkEntry([BREAKER], 0)).toEqual([BREAKER]);
    const broken = (path: number[], value: unknown) => {
      const copy = structuredClone(good);
      let at = copy as unknown as Record<number, unknown>;
      for (const key of path.slice(0, -1)) at = at[key] as Record<number, unknown>;
      at[path.at(-1)!] = value;
      return checkEntry(copy, 1);
    };
    expect(typeof broken([3, 0, 9, 2], 0)).not.toBe('string');
    // The first format's part, and parts with one field wrong each.
    expect(checkEntry({ id: BREAKER, part: null }, 0)).toBeTypeOf('string');
    expect(checkEntry(['not-a-uuid'], 0)).toBeTypeOf('string');
    expect(checkEntry([...good, null], 0)).toBeTypeOf('string');
    expect(broken([1], 'no')).toBeTypeOf('string');
    expect(broken([2, 0], [1, 1])).toBeTypeOf('string');
    expect(broken([2, 4], 'AJAR')).toBeTypeOf('string');
    // A window whose counts reach past its width.
    expect(broken([2, 7], [0, 3, 1, 1, 1, 1])).toBeTypeOf('string');
    expect(broken([2, 8], ['abacus'])).toBeTypeOf('string');
    expect(broken([3, 0, 1], 'AJAR')).toBeTypeOf('string');
    // A config index past the batch's configs.
    expect(broken([3, 0, 9, 2], 1)).toBeTypeOf('string');
    expect(broken([3, 0, 9, 1], { zone: 1 })).toBeTypeOf('string');
    expect(broken([3, 0], ['i-1', 1, 2, 3])).toBeTypeOf('string');
    expect(broken([3, 0], ['i-1', 1, 2, 3, 'four'])).toBeTypeOf('string');
    expect(typeof broken([3, 0], ['i-1', 1, 2, 3, null])).not.toBe('string');
    expect(broken([4], [1])).toBeTypeOf('string');
    expect(broken([5], ['checkout'])).toBeTypeOf('string');
  });
});
