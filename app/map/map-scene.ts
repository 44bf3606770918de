import type { MapLayout, PlacedEdge, PlacedNode } from './map-layout';
import type { MapTopology } from './map-topology';

/** A rectangle of the map, in the layout's pixels. */
export interface MapRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * One layout ready to draw: its edges as `Path2D`s, made the first time an
 * edge is drawn or pointed at (parsing 2,000 paths up front would cost a long
 * task when the map opens).
 */
export class MapScene {
  private readonly paths: Array<Path2D | undefined> = [];

  constructor(
    readonly topology: MapTopology,
    readonly layout: MapLayout,
  ) {}

  path(index: number): Path2D {
    return (this.paths[index] ??= new Path2D(this.layout.edges[index]!.path));
  }

  /** Indices of the edges whose extent meets `rect` grown by `margin` on every side. */
  edgesIn(rect: MapRect, margin = 0): number[] {
    const found: number[] = [];
    const { left, top } = rect;
    const right = left + rect.width;
    const bottom = top + rect.height;
    this.layout.edges.forEach((edge: PlacedEdge, index) => {
      if (edge.bottom + margin >= top && edge.top - margin <= bottom && edge.right + margin >= left && edge.left - margin <= right) found.push(index);
    });
    return found;
  }

  /** The nodes that meet `rect`, with their topology entry. */
  nodesIn(rect: MapRect): Array<{ node: MapTopology['nodes'][number]; placed: PlacedNode }> {
    const found: Array<{ node: MapTopology['nodes'][number]; placed: PlacedNode }> = [];
    for (const node of this.topology.nodes) {
      const placed = this.layout.nodes.get(node.id);
      if (!placed) continue;
      const { x, y, width, height } = placed;
      if (y + height / 2 >= rect.top && y - height / 2 <= rect.top + rect.height && x + width / 2 >= rect.left && x - width / 2 <= rect.left + rect.width) found.push({ node, placed });
    }
    return found;
  }
}

// A context of its own for hit tests: the drawing context's transform follows the scroll.
let hitContext: CanvasRenderingContext2D | null = null;

/** Tolerances tried in turn: the edge nearest the pointer wins where lines run close together. */
const HIT_WIDTHS = [3, 7, 11];

/** The index of the edge under the point (layout pixels), or null. */
export function edgeAt(scene: MapScene, x: number, y: number): number | null {
  hitContext ??= document.createElement('canvas').getContext('2d');
  if (!hitContext) return null;
  const widest = HIT_WIDTHS.at(-1)!;
  const near = scene.edgesIn({ left: x, top: y, width: 0, height: 0 }, widest / 2);
  for (const width of HIT_WIDTHS) {
    hitContext.lineWidth = width;
    const hit = near.find((index) => hitContext!.isPointInStroke(scene.path(index), x, y));
    if (hit !== undefined) return hit;
  }
  return null;
}
