import { describe, expect, it } from 'vitest';
import { HeldTextRing } from '../../../server/ingest/held-text-ring';

const text = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => 97 + ((seed + i) % 26)));

describe('HeldTextRing', () => {
  it('keeps every copy intact until it is given back, oldest first, going round the ring', () => {
    const ring = new HeldTextRing(1_000);
    const held: Array<{ copy: Buffer; original: Buffer }> = [];
    let seed = 1;
    let refused = 0;
    // A fixed pseudo-random walk of copies and releases: sizes up to half the ring, so it wraps often.
    for (let step = 0; step < 20_000; step++) {
      seed = (seed * 48_271) % 2_147_483_647;
      if (seed % 3 !== 0 || held.length === 0) {
        const original = text(seed % 500, seed);
        const copy = ring.copy(original);
        if (copy) held.push({ copy, original });
        else refused += 1;
      } else {
        const oldest = held.shift()!;
        expect(oldest.copy.equals(oldest.original)).toBe(true);
        ring.release();
      }
      expect(ring.heldCount).toBe(held.length);
    }
    for (const { copy, original } of held) expect(copy.equals(original)).toBe(true);
    // Both outcomes happened: the walk went round the ring and filled it.
    expect(refused).toBeGreaterThan(0);
    expect(held.length + refused).toBeLessThan(20_000);
  });

  it('refuses what does not fit, and fits it again once the held copies are given back', () => {
    const ring = new HeldTextRing(100);
    expect(ring.copy(text(101, 0))).toBeNull();
    expect(ring.copy(text(60, 0))).not.toBeNull();
    // 40 bytes are left at the end and none before the oldest copy.
    expect(ring.copy(text(41, 0))).toBeNull();
    const fits = ring.copy(text(40, 7))!;
    expect(fits.equals(text(40, 7))).toBe(true);
    ring.release();
    // The first copy's 60 bytes are free again: the head goes round to the beginning.
    const wrapped = ring.copy(text(60, 3))!;
    expect(wrapped.equals(text(60, 3))).toBe(true);
    expect(fits.equals(text(40, 7))).toBe(true);
    expect(ring.copy(text(1, 0))).toBeNull();
    ring.release();
    ring.release();
    expect(ring.heldCount).toBe(0);
    expect(ring.copy(text(100, 5))!.equals(text(100, 5))).toBe(true);
  });

  it('says so when a release has nothing to give back', () => {
    expect(() => new HeldTextRing(10).release()).toThrow(/nothing is held/);
  });
});
