/**
 * Passes over a whole data set (96 000 values for a 48 × 2000 map) that an analysis makes on the first call of a
 * process: in WebAssembly where the kernels are built (libs/physics/assembly/dataSums.ts), where the same loops in
 * TypeScript would run interpreted and box a double per value; the same numbers either way (dataSums.test.ts).
 */
import { wasmKernels } from '../wasm/kernels';

/** The index of the first value of `data` that is not finite, or −1 when all are. */
export function firstNonFinite(data: Float64Array): number {
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * data.length + 16);
    const max = kernels.exports.maxAbsFinite(arena.copy(data), data.length);
    return max < 0 ? -1 - max : -1;
  }
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return i;
  return -1;
}

/**
 * The positive part of `src` into `dst` (zero elsewhere, NaN and −0 included; dst may be src), with the sum of the
 * positive values, minus the sum of the others, and the largest value (0 when none is positive).
 */
export function positivePart(src: Float64Array, dst: Float64Array): { total: number; negative: number; max: number } {
  const n = src.length;
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(16 * n + 64);
    const [srcIn, out, sums] = [arena.copy(src), arena.f64(n), arena.f64(3)];
    kernels.exports.positivePart(srcIn, n, out.offset, sums.offset);
    dst.set(out.view);
    return { total: sums.view[0]!, negative: sums.view[1]!, max: sums.view[2]! };
  }
  let total = 0;
  let negative = 0;
  let max = 0;
  for (let c = 0; c < n; c++) {
    const f = src[c]!;
    if (f > 0) {
      dst[c] = f;
      total += f;
      if (f > max) max = f;
    } else {
      dst[c] = 0;
      negative -= f;
    }
  }
  return { total, negative, max };
}

/** The largest |value| of `data`; a RangeError names the first value that is not finite. */
export function maxAbsFinite(data: Float64Array): number {
  const kernels = wasmKernels();
  let max = 0;
  if (kernels) {
    const arena = kernels.arena(8 * data.length + 16);
    max = kernels.exports.maxAbsFinite(arena.copy(data), data.length);
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (!Number.isFinite(v)) {
        max = -1 - i;
        break;
      }
      const a = Math.abs(v);
      if (a > max) max = a;
    }
  }
  if (max < 0) throw new RangeError(`invert: data value ${-1 - max} is not finite`);
  return max;
}

/** Σ(data − fitted)² and Σdata² (the first data.length values of fitted). */
export function residualEnergy(data: Float64Array, fitted: Float64Array): { rr: number; dd: number } {
  const kernels = wasmKernels();
  if (kernels) {
    const n = data.length;
    const arena = kernels.arena(16 * n + 64);
    const [dataIn, fittedIn] = [arena.copy(data), arena.copy(fitted.subarray(0, n))];
    const out = arena.f64(2);
    kernels.exports.residualEnergy(dataIn, fittedIn, n, out.offset);
    return { rr: out.view[0]!, dd: out.view[1]! };
  }
  let rr = 0;
  let dd = 0;
  for (let i = 0; i < data.length; i++) {
    const d = data[i]!;
    const r = d - fitted[i]!;
    rr += r * r;
    dd += d * d;
  }
  return { rr, dd };
}

/** Σdata² and the largest |value| (a NaN adds to the sum and is skipped by the maximum). */
export function squaresAndMaxAbs(data: Float64Array): { sum2: number; maxAbs: number } {
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * data.length + 32);
    const dataIn = arena.copy(data);
    const out = arena.f64(2);
    kernels.exports.squaresAndMaxAbs(dataIn, data.length, out.offset);
    return { sum2: out.view[0]!, maxAbs: out.view[1]! };
  }
  let sum2 = 0;
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    sum2 += v * v;
    if (Math.abs(v) > maxAbs) maxAbs = Math.abs(v);
  }
  return { sum2, maxAbs };
}

/** Σ|data| along each row and each column of data (m1 × m2, row-major), row by row. */
export function absRowColSums(
  data: Float64Array,
  m1: number,
  m2: number,
): { rowSum: Float64Array; colSum: Float64Array } {
  const rowSum = new Float64Array(m1);
  const colSum = new Float64Array(m2);
  const kernels = wasmKernels();
  if (kernels) {
    const arena = kernels.arena(8 * (m1 * m2 + m1 + m2) + 64);
    const dataIn = arena.copy(data.subarray(0, m1 * m2));
    const [rows, cols] = [arena.f64(m1), arena.f64(m2)];
    kernels.exports.absRowColSums(dataIn, m1, m2, rows.offset, cols.offset);
    rowSum.set(rows.view);
    colSum.set(cols.view);
    return { rowSum, colSum };
  }
  for (let i = 0; i < m1; i++) {
    for (let j = 0; j < m2; j++) {
      const a = Math.abs(data[i * m2 + j]!);
      colSum[j]! += a;
      rowSum[i]! += a;
    }
  }
  return { rowSum, colSum };
}

/** y += t·x (over y's length), in WebAssembly where the kernels are built. */
export function addScaled(y: Float64Array, t: number, x: Float64Array): void {
  const n = y.length;
  const kernels = wasmKernels();
  if (!kernels) {
    for (let k = 0; k < n; k++) y[k]! += t * x[k]!;
    return;
  }
  const arena = kernels.arena(16 * n + 32);
  const [yIn, xIn] = [arena.f64(n), arena.copy(x.subarray(0, n))];
  yIn.view.set(y);
  kernels.exports.addScaled(yIn.offset, t, xIn, n);
  y.set(yIn.view);
}

/** dst = src where positive, else 0 (NaN and −0 too); dst may be src: positivePart without its sums. */
export function clipPositive(src: Float64Array, dst: Float64Array = src): void {
  positivePart(src, dst);
}

/** x[i][j] *= scale[j] for x rows × cols, row-major (a matrix's columns scaled), in place. */
export function scaleColumnsInPlace(x: Float64Array, rows: number, cols: number, scale: Float64Array): void {
  const kernels = wasmKernels();
  if (!kernels) {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) x[i * cols + j]! *= scale[j]!;
    return;
  }
  const arena = kernels.arena(8 * (rows * cols + cols) + 32);
  const [xIn, scaleIn] = [arena.f64(rows * cols), arena.copy(scale.subarray(0, cols))];
  xIn.view.set(x.subarray(0, rows * cols));
  kernels.exports.scaleColumns(xIn.offset, rows, cols, scaleIn);
  x.set(xIn.view);
}

/** a = √(a·b), element by element, in WebAssembly where the kernels are built. */
export function geometricMeanInPlace(a: Float64Array, b: Float64Array): void {
  const n = a.length;
  const kernels = wasmKernels();
  if (!kernels) {
    for (let k = 0; k < n; k++) a[k] = Math.sqrt(a[k]! * b[k]!);
    return;
  }
  const arena = kernels.arena(16 * n + 32);
  const [aIn, bIn] = [arena.f64(n), arena.copy(b.subarray(0, n))];
  aIn.view.set(a);
  kernels.exports.geometricMean(aIn.offset, bIn, n);
  a.set(aIn.view);
}

/** r = target − Σ_k amps[k]·signals[k] (in that order; each signal target.length long); returns Σr². */
export function componentResidual(
  target: Float64Array,
  signals: readonly Float64Array[],
  amps: readonly number[],
  r: Float64Array,
): number {
  const s = target.length;
  const count = signals.length;
  const kernels = wasmKernels();
  if (!kernels) {
    r.set(target);
    for (let k = 0; k < count; k++) {
      const a = amps[k]!;
      const v = signals[k]!;
      for (let p = 0; p < s; p++) r[p]! -= a * v[p]!;
    }
    let chi2 = 0;
    for (let p = 0; p < s; p++) chi2 += r[p]! * r[p]!;
    return chi2;
  }
  const arena = kernels.arena(8 * (2 * s + count * s + count) + 64);
  const targetIn = arena.copy(target);
  const sigs = arena.f64(count * s);
  signals.forEach((v, k) => sigs.view.set(v.subarray(0, s), k * s));
  const [ampsIn, out] = [arena.copy(Float64Array.from(amps)), arena.f64(s)];
  const chi2 = kernels.exports.componentResidual(targetIn, s, sigs.offset, ampsIn, count, out.offset);
  r.set(out.view);
  return chi2;
}
