/**
 * One more line where a group's fit leaves signal behind: two lines half to one width apart look like one broader
 * line to the maxima and, at equal heights, to the second derivative too. When a group's residual stays above twice
 * the noise variance (and 0.5 % of its tallest line, in RMS), the fitted line nearest the largest residual is split
 * in two and the group refitted; the split is kept when χ² falls by more than 25 σ² (a 5 σ gain) and the two lines
 * look like two lines — heights within 5× of each other, widths within 2×, at least a quarter width apart — not like
 * one line of another shape (a real line's shape mismatch makes a small broad or narrow companion, which this
 * refuses).
 */
import { fitLines, type Line, type LineFit } from './fitLines';

const MAX_SPLITS = 2;

export function splitUnresolved(
  y: Float64Array,
  from: number,
  to: number,
  fit: LineFit,
  sigma: number,
  floor: number,
  typicalWidth: number,
): LineFit {
  let current = fit;
  const points = to - from + 1;
  const tallest = Math.max(...fit.lines.map((l) => l.height));
  // worth a try only when the misfit is beyond the noise and beyond what a line's shape leaves (≈ 0.1–0.3 % of its
  // height on real ¹H lines; a partner of ≥ 20 % half a width away leaves several %)
  const worthIt = (f: LineFit) => f.meanSquare > Math.max(2 * sigma * sigma, (0.005 * tallest) ** 2);
  for (let round = 0; round < MAX_SPLITS && worthIt(current); round++) {
    const worst = current.worstPoint;
    const j = current.lines.reduce(
      (best, l, k) => (Math.abs(l.x - worst) < Math.abs(current.lines[best]!.x - worst) ? k : best),
      0,
    );
    const line = current.lines[j]!;
    const side = worst >= line.x ? 1 : -1;
    const pair: Line[] = [
      { x: line.x - side * 0.2 * line.width, height: 0.7 * line.height, width: 0.8 * line.width },
      { x: line.x + side * 0.4 * line.width, height: 0.5 * line.height, width: 0.8 * line.width },
    ];
    const start = [...current.lines.slice(0, j), ...pair, ...current.lines.slice(j + 1)].sort((a, b) => a.x - b.x);
    const next = fitLines(y, from, to, start, current.eta, sigma);
    const gain = (current.meanSquare - next.meanSquare) * points;
    const sane = next.lines.every(
      (l) => l.x >= from && l.x <= to && l.height > 0 && l.width >= 0.25 * typicalWidth && l.width <= 5 * typicalWidth,
    );
    if (!sane || !(gain > 25 * sigma * sigma) || !looksLikeTwo(next.lines, line, floor)) break;
    current = next;
  }
  return current;
}

/** The two fitted lines nearest the split one are two lines, not one line and a shape correction. */
function looksLikeTwo(lines: Line[], split: Line, floor: number): boolean {
  const near = [...lines].sort((a, b) => Math.abs(a.x - split.x) - Math.abs(b.x - split.x)).slice(0, 2);
  if (near.length < 2) return false;
  const [a, b] = near as [Line, Line];
  const heights = [a.height, b.height].sort((p, q) => p - q) as [number, number];
  const widths = [a.width, b.width].sort((p, q) => p - q) as [number, number];
  return (
    heights[0] >= floor &&
    heights[0] >= 0.2 * heights[1] &&
    widths[1] <= 2 * widths[0] &&
    Math.abs(a.x - b.x) >= (0.25 * (a.width + b.width)) / 2
  );
}
