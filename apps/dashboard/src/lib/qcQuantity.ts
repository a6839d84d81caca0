/**
 * The quantities a quality-control chart follows, from an acquisition's peak table: the fraction-weighted mean
 * position along an axis (log-mean, as the fleet's sparkline), the position of the largest population, or its
 * fraction. Positions are charted in decades (log10 of seconds or m²/s), so limits and rules are in decades too.
 */
export const QC_QUANTITIES = ['mean:T2', 'mean:T1', 'mean:D', 'main:T2', 'main:T1', 'main:D', 'main:fraction'] as const;
export type QcQuantity = (typeof QC_QUANTITIES)[number];

export const QC_QUANTITY_LABELS: Record<QcQuantity, string> = {
  'mean:T2': 'log-mean T2',
  'mean:T1': 'log-mean T1',
  'mean:D': 'log-mean D',
  'main:T2': 'T2 of the largest population',
  'main:T1': 'T1 of the largest population',
  'main:D': 'D of the largest population',
  'main:fraction': 'fraction of the largest population',
};

export interface QcPeak {
  fraction: number;
  t1: number | null;
  t2: number | null;
  d: number | null;
}

const positionOf = (p: QcPeak, axis: 'T1' | 'T2' | 'D') => (axis === 'T1' ? p.t1 : axis === 'T2' ? p.t2 : p.d);

/** The quantity's value for one acquisition (log10 position, or a fraction 0–1); undefined when it has none. */
export function qcValue(peaks: readonly QcPeak[], quantity: QcQuantity): number | undefined {
  const [kind, what] = quantity.split(':') as ['mean' | 'main', 'T1' | 'T2' | 'D' | 'fraction'];
  if (kind === 'main') {
    const main = [...peaks].sort((a, b) => b.fraction - a.fraction)[0];
    if (!main) return undefined;
    if (what === 'fraction') return main.fraction;
    const x = positionOf(main, what);
    return x && x > 0 ? Math.log10(x) : undefined;
  }
  let sum = 0;
  let weight = 0;
  for (const p of peaks) {
    const x = positionOf(p, what as 'T1');
    if (x && x > 0 && p.fraction > 0) {
      sum += p.fraction * Math.log10(x);
      weight += p.fraction;
    }
  }
  return weight > 0 ? sum / weight : undefined;
}

/** Whether the quantity is a position (charted on a log axis, in decades) rather than a fraction. */
export const isPosition = (q: QcQuantity) => !q.endsWith(':fraction');
/** The axis name of a position quantity (for units). */
export const axisOf = (q: QcQuantity) => q.split(':')[1] as 'T1' | 'T2' | 'D' | 'fraction';
