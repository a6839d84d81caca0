/**
 * How the indirect dimension (F1) of a TopSpin 2D `ser` was acquired (acqu2s FnMODE, else proc2s MC2) and how its
 * rows become the complex t1 signal of each F2 column, after every row has been Fourier transformed in F2 (R_k,
 * complex, Lapis's convention: the real part is TopSpin's, the imaginary part its negative — TopSpin's 1i is −Im):
 *
 * | mode          | rows per t1 point | t1 signal of a column                                   | F1 spectrum       |
 * | ------------- | ----------------- | ------------------------------------------------------- | ----------------- |
 * | QF            | 1                 | conj(R_k) (phase-modulated, e.g. gradient COSY, HMBC)   | magnitude         |
 * | QSEQ, TPPI    | 1 (real)          | Re(R_k), real, at twice the rate (90° phase steps)      | phase-sensitive   |
 * | States        | 2                 | Re(R_2k) + i·Re(R_2k+1)                                 | phase-sensitive   |
 * | States-TPPI   | 2                 | (−1)^k·(Re(R_2k) + i·Re(R_2k+1))                        | phase-sensitive   |
 * | Echo-Antiecho | 2 (E, A)          | States of C = (E + A)/2 and S = i·(E − A)/2             | phase-sensitive   |
 *
 * Re(·) is taken after the F2 phase correction. QF and echo-antiecho were fixed against TopSpin's own processing
 * of the bruker-data-test cyclosporin COSY, HMBC and HSQC (docs/spectra.md); States, States-TPPI and TPPI follow
 * the same F1 transform and are checked on synthetic data only.
 */

export type F1Mode = 'QF' | 'QSEQ' | 'TPPI' | 'States' | 'States-TPPI' | 'Echo-Antiecho';

/** acqu2s FnMODE 1–6 (0 is "undefined": MC2 decides). */
export const FNMODE_MODES: Readonly<Record<number, F1Mode>> = {
  1: 'QF',
  2: 'QSEQ',
  3: 'TPPI',
  4: 'States',
  5: 'States-TPPI',
  6: 'Echo-Antiecho',
};

/** proc2s MC2 0–5. */
export const MC2_MODES: Readonly<Record<number, F1Mode>> = {
  0: 'QF',
  1: 'QSEQ',
  2: 'TPPI',
  3: 'States',
  4: 'States-TPPI',
  5: 'Echo-Antiecho',
};

export function isPhaseSensitive(mode: F1Mode): boolean {
  return mode !== 'QF';
}

/** TPPI and QSEQ sample t1 as one real series at twice the rate. */
export function isRealT1(mode: F1Mode): boolean {
  return mode === 'TPPI' || mode === 'QSEQ';
}

/** t1 points per column (complex, or real for TPPI/QSEQ) that `rows` rows give. */
export function t1Count(mode: F1Mode, rows: number): number {
  return mode === 'QF' || isRealT1(mode) ? rows : Math.floor(rows / 2);
}

/** Echo-antiecho row pairs → States pairs, in place: C = (E + A)/2, S = i·(E − A)/2 (rows × size, complex). */
export function echoAntiechoToStates(re: Float64Array, im: Float64Array, rows: number, size: number): void {
  for (let k = 0; k + 1 < rows; k += 2) {
    const e = k * size;
    const a = (k + 1) * size;
    for (let j = 0; j < size; j++) {
      const er = re[e + j]!;
      const ei = im[e + j]!;
      const ar = re[a + j]!;
      const ai = im[a + j]!;
      re[e + j] = (er + ar) / 2;
      im[e + j] = (ei + ai) / 2;
      // i·(E − A)/2 = (−(Ei − Ai) + i·(Er − Ar))/2
      re[a + j] = -(ei - ai) / 2;
      im[a + j] = (er - ar) / 2;
    }
  }
}

/**
 * The t1 signal of F2 column `c` into (tr, ti) (ti zero for TPPI/QSEQ), the F2 phase given as its cosine and
 * sine at that column (ignored for QF). Returns the number of t1 points written.
 */
export function t1Signal(
  mode: F1Mode,
  re: Float64Array,
  im: Float64Array,
  rows: number,
  size: number,
  c: number,
  cos: number,
  sin: number,
  tr: Float64Array,
  ti: Float64Array,
): number {
  const real = (k: number) => re[k * size + c]! * cos - im[k * size + c]! * sin;
  if (mode === 'QF') {
    for (let k = 0; k < rows; k++) {
      tr[k] = re[k * size + c]!;
      ti[k] = -im[k * size + c]!;
    }
    return rows;
  }
  if (isRealT1(mode)) {
    for (let k = 0; k < rows; k++) {
      tr[k] = real(k);
      ti[k] = 0;
    }
    return rows;
  }
  const n = Math.floor(rows / 2);
  const alternate = mode === 'States-TPPI';
  for (let k = 0; k < n; k++) {
    const s = alternate && k % 2 === 1 ? -1 : 1;
    tr[k] = s * real(2 * k);
    ti[k] = s * real(2 * k + 1);
  }
  return n;
}
