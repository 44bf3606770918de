/** A deploy marker to label: where it is and what its label says. */
export interface DeployLabelInput<T> {
  at: number;
  text: string;
  item: T;
}

/** A label placed on the deploy row: its marker's position (0–1 of the range), its row, which side of the marker it extends to, and the markers too close to it to get their own label. */
export interface PlacedDeployLabel<T> {
  item: T;
  text: string;
  position: number;
  row: number;
  anchor: 'start' | 'end';
  folded: T[];
}

export interface DeployLabelLayoutOptions {
  /** Width of the lanes in CSS pixels. */
  widthPx: number;
  /** Rows of labels before a label is folded into its neighbour. */
  rows?: number;
  /** Width of one character of the label font (0.68rem of a system sans-serif is about 6.5 px; over-estimating only folds sooner). */
  charPx?: number;
  /** Room for the arrow, the "+N" of folded markers and a gap. */
  extraPx?: number;
}

/**
 * Lays deploy labels out so that none overlaps another: left to right, each
 * goes on the first row where it clears the previous label; a label that
 * would run past the right edge extends leftwards from its marker; one that
 * fits on no row is folded into the nearest label to its left (its marker
 * line stays, with its own hover).
 */
export function layoutDeployLabels<T>(
  inputs: readonly DeployLabelInput<T>[],
  from: number,
  to: number,
  { widthPx, rows = 2, charPx = 6.5, extraPx = 28 }: DeployLabelLayoutOptions,
): PlacedDeployLabel<T>[] {
  const span = Math.max(1, to - from);
  const sorted = [...inputs].filter((input) => input.at >= from && input.at <= to).sort((a, b) => a.at - b.at);
  const rowEnds: number[] = Array.from({ length: rows }, () => Number.NEGATIVE_INFINITY);
  const placed: PlacedDeployLabel<T>[] = [];
  for (const input of sorted) {
    const position = (input.at - from) / span;
    const x = position * widthPx;
    const width = input.text.length * charPx + extraPx;
    const anchor = x + width > widthPx ? 'end' : 'start';
    const left = anchor === 'start' ? x : x - width;
    const right = anchor === 'start' ? x + width : x;
    const row = rowEnds.findIndex((end) => left > end);
    if (row === -1 || left < 0) {
      const previous = placed[placed.length - 1];
      if (previous) previous.folded.push(input.item);
      else placed.push({ item: input.item, text: input.text, position, row: 0, anchor, folded: [] });
      continue;
    }
    rowEnds[row] = right;
    placed.push({ item: input.item, text: input.text, position, row, anchor, folded: [] });
  }
  return placed;
}
