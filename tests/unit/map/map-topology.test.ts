import { describe, expect, it } from 'vitest';
import { buildTopology, topologyKey } from '../../../app/map/map-topology';

const breaker = (service: string, name: string) => ({ id: `${service}/${name}`, service, name });

describe('buildTopology', () => {
  it('draws a dependency that several services call once, with every breaker guarding it', () => {
    const topology = buildTopology([breaker('checkout', 'payments-api'), breaker('orders', 'payments-api:refunds'), breaker('orders', 'inventory-api')]);
    expect(topology.nodes.map((node) => [node.id, node.kind]).sort()).toEqual([
      ['checkout', 'service'],
      ['inventory-api', 'dependency'],
      ['orders', 'service'],
      ['payments-api', 'dependency'],
    ]);
    expect(topology.nodes.find((node) => node.id === 'payments-api')!.incoming.sort()).toEqual(['checkout/payments-api', 'orders/payments-api:refunds']);
    expect(topology.edges).toHaveLength(3);
  });

  it('makes a name that is both a service and a dependency one node, so call chains connect', () => {
    const topology = buildTopology([breaker('checkout', 'payments-api'), breaker('payments-api', 'bank-gateway')]);
    expect(topology.nodes.find((node) => node.id === 'payments-api')!.kind).toBe('both');
    expect(topology.nodes).toHaveLength(3);
  });

  it('sets breakers of one service guarding one dependency side by side in lanes', () => {
    const topology = buildTopology([breaker('checkout', 'payments-api:charge'), breaker('checkout', 'payments-api:refund'), breaker('checkout', 'tax-api')]);
    const lanes = topology.edges.filter((edge) => edge.to === 'payments-api').map((edge) => [edge.lane, edge.lanes]);
    expect(lanes).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(topology.edges.find((edge) => edge.to === 'tax-api')).toMatchObject({ lane: 0, lanes: 1 });
  });
});

describe('topologyKey', () => {
  it('is the same for the same breakers in any order and changes when one appears', () => {
    const a = breaker('checkout', 'payments-api');
    const b = breaker('orders', 'inventory-api');
    expect(topologyKey([a, b])).toBe(topologyKey([b, a]));
    expect(topologyKey([a, b, breaker('orders', 'tax-api')])).not.toBe(topologyKey([a, b]));
  });
});
