/**
 * The measured decays a result document carries beside the fit (`fit.decays` of lapis-result/1), so that a reader
 * can plot data, fit and residual without the raw files: a 1D decay whole, a 2D acquisition's two most telling slices,
 * each downsampled to a size an MQTT message can carry.
 */
import type { ResultDecay } from '@lapis/contracts';
import { absRowColSums, type KernelName } from '@lapis/physics';

/** One acquisition axis as the readers give it (libs/formats `AcquisitionAxis` fits). */
export interface MeasuredAxis {
  kernel: KernelName;
  /** What the sequence varied, SI (s, or s/m² for b-values). */
  values: ArrayLike<number>;
}

/** The measured signal the inversion was given. */
export interface Measured {
  axes: readonly MeasuredAxis[];
  /** Row-major, axes[0] down the rows (the shape of `solver.fitted`). */
  data: ArrayLike<number>;
}

export interface MeasuredDecaysOptions {
  /** Most points per decay. Default 256. */
  maxPoints?: number;
  /** Points kept as measured at the start of a downsampled decay (early fast decay). Default 32. */
  head?: number;
}

const AXIS: Record<KernelName, { name: 'tau' | 't' | 'b'; unit: 's' | 's/m2'; what: string }> = {
  'T1-IR': { name: 'tau', unit: 's', what: 'inversion recovery' },
  'T1-SR': { name: 'tau', unit: 's', what: 'saturation recovery' },
  T2: { name: 't', unit: 's', what: 'echo decay' },
  D: { name: 'b', unit: 's/m2', what: 'diffusion attenuation' },
};
const SYMBOL = { tau: 'τ', t: 't', b: 'b' } as const;

/** 6 significant digits: no plot tells them apart, and they halve the JSON. */
const round = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(6)));

/**
 * Indices that keep at most `max` of `n` points: all of them when they fit; otherwise the first `head`, then
 * indices spaced evenly in log(index) up to the last point (always kept). Strictly increasing.
 */
export function downsampleIndices(n: number, max = 256, head = 32): number[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`downsampleIndices: n must be a count, got ${n}`);
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`downsampleIndices: max must be ≥ 2, got ${max}`);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const h = Math.max(1, Math.min(head, max - 2));
  const out = Array.from({ length: h }, (_, i) => i);
  const rest = max - h;
  const lo = Math.log(h);
  const hi = Math.log(n - 1);
  for (let k = 0; k < rest; k++) {
    const target = Math.round(Math.exp(lo + ((hi - lo) * k) / (rest - 1)));
    // Early on the log steps are shorter than one index: step by one, but leave room for the points still to come.
    const idx = Math.min(Math.max(out[out.length - 1]! + 1, target), n - rest + k);
    out.push(idx);
  }
  return out;
}

/** "t = 200 µs", "τ = 4 s", "b = 1.2e9 s/m²": the label a reader sees above the plot. */
function formatAt(name: 'tau' | 't' | 'b', value: number): string {
  const v = (x: number) => Number(x.toPrecision(3));
  if (name === 'b') {
    const e = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
    return `b = ${e === 0 ? v(value) : `${v(value / 10 ** e)}e${e}`} s/m²`;
  }
  const a = Math.abs(value);
  const text =
    a !== 0 && a < 1e-3 ? `${v(value * 1e6)} µs` : a !== 0 && a < 1 ? `${v(value * 1e3)} ms` : `${v(value)} s`;
  return `${SYMBOL[name]} = ${text}`;
}

/**
 * Decays with their fit: 1D → the whole decay; 2D → along axis 0 the column with the most signal (Σ|data|) and
 * along axis 1 the row with the most signal (ties within 1 %: the latest delay of a T1 axis, the earliest point of a
 * T2 or D axis), each downsampled by `downsampleIndices`. `fitted` is K1·F·K2ᵀ in the data's shape (the solver's
 * `fitted`).
 */
export function measuredDecays(
  measured: Measured,
  fitted: ArrayLike<number>,
  options: MeasuredDecaysOptions = {},
): ResultDecay[] {
  const { axes, data } = measured;
  if (axes.length !== 1 && axes.length !== 2) throw new RangeError(`measuredDecays: 1 or 2 axes, got ${axes.length}`);
  const m1 = axes[0]!.values.length;
  const m2 = axes.length === 2 ? axes[1]!.values.length : 1;
  if (data.length !== m1 * m2 || fitted.length !== data.length) {
    throw new RangeError(
      `measuredDecays: axes need ${m1 * m2} values; data has ${data.length}, fitted ${fitted.length}`,
    );
  }
  const max = options.maxPoints ?? 256;
  const head = options.head ?? 32;

  /** One decay along data axis `d`, reading element `at(i)` for its i-th point. */
  const decay = (d: 0 | 1, at: (i: number) => number, extra: Partial<ResultDecay>, label: string): ResultDecay => {
    const axis = axes[d]!;
    const meta = AXIS[axis.kernel];
    const idx = downsampleIndices(axis.values.length, max, head);
    return {
      label,
      axis: { name: meta.name, unit: meta.unit, values: idx.map((i) => round(axis.values[i]!)) },
      data: idx.map((i) => round(data[at(i)]!)),
      fit: idx.map((i) => round(fitted[at(i)]!)),
      ...extra,
      totalPoints: axis.values.length,
    };
  };

  if (axes.length === 1) return [decay(0, (i) => i, {}, AXIS[axes[0]!.kernel].what)];

  // Σ|data| picks the slice with the most signal whatever its sign (inversion recovery starts negative).
  const values = data instanceof Float64Array ? data : Float64Array.from(data);
  const { rowSum, colSum } = absRowColSums(values, m1, m2);
  // Slices within 1 % of the most signal tie (a fully recovered T1 plateau differs only by noise): a recovery
  // axis then gives its longest delay, a decaying one (T2, D) its earliest point, as lapis-result/1 documents.
  const pick = (v: Float64Array, kernel: KernelName) => {
    let top = -Infinity;
    for (const x of v) if (x > top) top = x;
    const last = kernel === 'T1-IR' || kernel === 'T1-SR';
    let at = -1;
    for (let k = 0; k < v.length; k++) {
      if (!(v[k]! >= 0.99 * top)) continue;
      at = k;
      if (!last) break;
    }
    return at;
  };
  const col = pick(colSum, axes[1]!.kernel);
  const row = pick(rowSum, axes[0]!.kernel);
  const slice = (d: 0 | 1, index: number) => {
    const other = axes[1 - d]!;
    const meta = AXIS[other.kernel];
    const value = other.values[index]!;
    return {
      extra: { dataAxis: d, at: { name: meta.name, unit: meta.unit, value: round(value), index } },
      label: `${AXIS[axes[d]!.kernel].what} at ${formatAt(meta.name, value)}`,
    };
  };
  const along0 = slice(0, col);
  const along1 = slice(1, row);
  return [
    decay(0, (i) => i * m2 + col, along0.extra, along0.label),
    decay(1, (j) => row * m2 + j, along1.extra, along1.label),
  ];
}
