import { describe, expect, it } from 'vitest';
import { layoutMap } from '../../../app/map/map-layout';
import { buildTopology } from '../../../app/map/map-topology';

const breaker = (service: string, name: string) => ({ id: `${service}/${name}`, service, name });

describe('layoutMap', () => {
  it('places services left of the dependencies they call, without overlapping boxes, and routes every breaker', () => {
    const breakers = ['checkout', 'orders', 'search'].flatMap((service, index) => ['payments-api', 'inventory-api', `only-${index}`].map((name) => breaker(service, name)));
    const topology = buildTopology(breakers);
    const layout = layoutMap(topology);
    const node = (id: string) => layout.nodes.get(id)!;
    for (const service of ['checkout', 'orders', 'search']) expect(node(service).x).toBeLessThan(node('payments-api').x);
    const boxes = [...layout.nodes.values()];
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const apart = Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
      }
    }
    expect(layout.edges.map((edge) => edge.breakerId).sort()).toEqual(breakers.map((item) => item.id).sort());
    for (const edge of layout.edges) {
      expect(edge.path).toMatch(/^M[\d.]+,[\d.]+C/);
      expect(edge.middle.x).toBeGreaterThan(0);
    }
    for (const box of boxes) {
      expect(box.x + box.width / 2).toBeLessThanOrEqual(layout.width);
      expect(box.y + box.height / 2).toBeLessThanOrEqual(layout.height);
    }
  });

  it("gives every edge an extent that holds all of its path's points, so the map can leave out of a view only edges that miss it", () => {
    const breakers = [
      ...['checkout', 'orders', 'search'].flatMap((service) => ['payments-api', 'payments-api:refunds', 'inventory-api'].map((name) => breaker(service, name))),
      breaker('cache', 'cache'),
    ];
    const layout = layoutMap(buildTopology(breakers));
    for (const edge of layout.edges) {
      const numbers = (edge.path.match(/-?[\d.]+/g) ?? []).map(Number);
      expect(numbers.length).toBeGreaterThanOrEqual(8);
      for (let index = 0; index < numbers.length; index += 2) {
        expect(numbers[index]!, `${edge.breakerId} x`).toBeGreaterThanOrEqual(edge.left - 0.05);
        expect(numbers[index]!, `${edge.breakerId} x`).toBeLessThanOrEqual(edge.right + 0.05);
        expect(numbers[index + 1]!, `${edge.breakerId} y`).toBeGreaterThanOrEqual(edge.top - 0.05);
        expect(numbers[index + 1]!, `${edge.breakerId} y`).toBeLessThanOrEqual(edge.bottom + 0.05);
      }
    }
  });

  it('draws a breaker named for its own service as a loop beside its node', () => {
    const layout = layoutMap(buildTopology([breaker('cache', 'cache'), breaker('cache', 'db')]));
    const loop = layout.edges.find((edge) => edge.breakerId === 'cache/cache')!;
    const cache = layout.nodes.get('cache')!;
    expect(loop.middle.x).toBeGreaterThan(cache.x + cache.width / 2);
  });

  it('lays out 200 services and 2,000 breakers over shared dependencies (the size the map is built for)', () => {
    const breakers = Array.from({ length: 200 }, (_, s) => Array.from({ length: 10 }, (_, b) => breaker(`svc-${s}`, `dependency-${(s * 7 + b * 13) % 200}`))).flat();
    const layout = layoutMap(buildTopology(breakers));
    expect(layout.edges).toHaveLength(2_000);
    expect(layout.nodes.size).toBe(400);
  }, 60_000);
});
