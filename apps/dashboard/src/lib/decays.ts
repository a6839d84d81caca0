/**
 * The measured decays of a result (`fit.decays` of lapis-result/1) ready to plot: per point the measured value, the
 * fit and the residual (data − fit, which the document leaves to the reader), plus how to draw the x axis.
 * Pure functions, shared by the acquisition router and the plot.
 */
import type { ResultDoc } from '@lapis/contracts';
import { formatSeconds, superscript } from './units';

export interface DecayPoint {
  x: number;
  data: number;
  fit: number;
  residual: number;
}

export interface DecayView {
  label: string;
  axis: { name: 'tau' | 't' | 'b'; unit: 's' | 's/m2' };
  points: DecayPoint[];
  /** Points in the full measured decay (the document keeps at most 256). */
  totalPoints: number;
  /** Residual rms, data units. */
  rmsResidual: number;
}

/** The document's decays with residuals; none when the producer did not include the data (older documents). */
export function decayViews(doc: ResultDoc): DecayView[] {
  return (doc.fit.decays ?? []).map((d) => {
    const points = d.axis.values.map((x, i) => {
      const data = d.data[i] ?? Number.NaN;
      const fit = d.fit[i] ?? Number.NaN;
      return { x, data, fit, residual: data - fit };
    });
    const ss = points.reduce((s, p) => s + p.residual ** 2, 0);
    return {
      label: d.label,
      axis: { name: d.axis.name, unit: d.axis.unit },
      points,
      totalPoints: d.totalPoints ?? points.length,
      rmsResidual: points.length > 0 ? Math.sqrt(ss / points.length) : 0,
    };
  });
}

/** A log x axis when every value is positive (a b = 0 point forces a linear one). */
export function decayXType(points: readonly DecayPoint[]): 'log' | 'linear' {
  return points.length > 0 && points.every((p) => p.x > 0) ? 'log' : 'linear';
}

/** Axis title: the symbol and, for b, the unit (times carry theirs in the tick labels). */
export function decayAxisLabel(name: DecayView['axis']['name']): string {
  return name === 'tau' ? 'τ (delay)' : name === 't' ? 't (echo time)' : 'b (s/m²)';
}

/** Tick labels: times in µs/ms/s, b-values as powers of ten. */
export function decayTickLabel(name: DecayView['axis']['name']): (v: number) => string {
  if (name === 'b') return (v) => (v > 0 ? `10${superscript(Math.round(Math.log10(v)))}` : String(v));
  return (v) => formatSeconds(v, 2);
}
