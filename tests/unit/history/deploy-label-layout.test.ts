import { describe, expect, it } from 'vitest';
import { layoutDeployLabels, type DeployLabelInput } from '../../../components/history/deploy-label-layout';

const label = (at: number, text = 'v1.2.3'): DeployLabelInput<string> => ({ at, text, item: `${text}@${at}` });
// 6 characters at 10 px plus 20 px: every label is 80 px wide on a 1000 px lane over 0–1000 (1 px per unit).
const options = { widthPx: 1000, charPx: 10, extraPx: 20 };

function extents(placed: ReturnType<typeof layoutDeployLabels<string>>) {
  return placed.map((item) => {
    const x = item.position * 1000;
    return { row: item.row, left: item.anchor === 'start' ? x : x - 80, right: item.anchor === 'start' ? x + 80 : x };
  });
}

describe('deploy labels', () => {
  it('keep one row when they are far apart', () => {
    const placed = layoutDeployLabels([label(100), label(400), label(700)], 0, 1000, options);
    expect(placed.map((item) => item.row)).toEqual([0, 0, 0]);
    expect(placed.every((item) => item.folded.length === 0)).toBe(true);
  });

  it('never overlap on a row: close ones go to the next row, then fold into their left neighbour', () => {
    const inputs = [label(100), label(120), label(140), label(160), label(500)];
    const placed = layoutDeployLabels(inputs, 0, 1000, options);
    expect(placed.map((item) => item.item)).toEqual(['v1.2.3@100', 'v1.2.3@120', 'v1.2.3@500']);
    expect(placed.map((item) => item.row)).toEqual([0, 1, 0]);
    expect(placed[1]!.folded).toEqual(['v1.2.3@140', 'v1.2.3@160']);
    const boxes = extents(placed);
    for (const a of boxes) for (const b of boxes) if (a !== b && a.row === b.row) expect(a.right < b.left || b.right < a.left).toBe(true);
  });

  it('extend leftwards from a marker near the right edge instead of running off the lane', () => {
    const [last] = layoutDeployLabels([label(980)], 0, 1000, options);
    expect(last!.anchor).toBe('end');
  });

  it('sort by time and skip markers outside the range', () => {
    const placed = layoutDeployLabels([label(700), label(-5), label(100), label(1200)], 0, 1000, options);
    expect(placed.map((item) => item.item)).toEqual(['v1.2.3@100', 'v1.2.3@700']);
  });

  it('scale with the lane: the same markers need more rows on a narrow screen', () => {
    const inputs = [label(100), label(200), label(400)];
    expect(layoutDeployLabels(inputs, 0, 1000, options).map((item) => item.row)).toEqual([0, 0, 0]);
    const narrow = layoutDeployLabels(inputs, 0, 1000, { ...options, widthPx: 400 });
    expect(narrow.map((item) => item.row)).toEqual([0, 1, 0]);
  });
});
