/**
 * The t1 signals of the F2 columns of a NUS ser, as istReconstruct.ts hands them to istColumn.ts, and back: the
 * known positions and values of one column's IST problem (QF: the complex column itself; States pairs: channel
 * a = Re R₂ₖ + i·Re R₂ₖ₊₁ or b = Im R₂ₖ + i·Im R₂ₖ₊₁, each times e^{iφ₀}; virtual echo: both packed as z = a + i·b with
 * z(−t) = conj(a(t)) + i·conj(b(t)) at L − t), sampled points optionally held out for validation, the prediction
 * error at those, and the reconstructed column written into the full F2-transformed ser. Buffers are allocated once.
 */

export interface ColumnSetup {
  /** F2-transformed sampled rows (echo-antiecho already made States), rows × P. */
  Fr: Float64Array;
  Fi: Float64Array;
  P: number;
  schedule: ArrayLike<number>;
  rpp: 1 | 2;
  virtualEcho: boolean;
  /** Length of the IST problem. */
  L: number;
  t1Points: number;
  /** e^{iφ₀}: the F1 phase removed before the virtual echo. */
  cos: number;
  sin: number;
}

export class ColumnProblem {
  readonly known: Int32Array;
  readonly kr: Float64Array;
  readonly ki: Float64Array;
  /** Known positions in all, and of them the measured ones (the rest are zeros past the acquisition). */
  count = 0;
  dataCount = 0;
  private readonly v = new Float64Array(4);

  constructor(readonly s: ColumnSetup) {
    this.known = new Int32Array(2 * s.schedule.length + s.L);
    this.kr = new Float64Array(this.known.length);
    this.ki = new Float64Array(this.known.length);
  }

  /** Channel values of sampled point j in column c: [ar, ai, br, bi] (States pairs, rotated) or [re, im] (QF). */
  private values(j: number, c: number): Float64Array {
    const { Fr, Fi, P, rpp, cos, sin } = this.s;
    const v = this.v;
    if (rpp === 1) {
      v[0] = Fr[j * P + c]!;
      v[1] = Fi[j * P + c]!;
      return v;
    }
    const o = 2 * j * P + c;
    const ar = Fr[o]!;
    const ai = Fr[o + P]!;
    const br = Fi[o]!;
    const bi = Fi[o + P]!;
    v[0] = ar * cos - ai * sin;
    v[1] = ar * sin + ai * cos;
    v[2] = br * cos - bi * sin;
    v[3] = br * sin + bi * cos;
    return v;
  }

  /** The known values of column c (channel 0 or 1 without virtual echo), leaving out the points `held` marks. */
  fill(c: number, channel: number, held?: Uint8Array): void {
    const { schedule, virtualEcho, L, t1Points } = this.s;
    const { known, kr, ki } = this;
    let k = 0;
    for (let j = 0; j < schedule.length; j++) {
      if (held?.[j]) continue;
      const t = schedule[j]!;
      const v = this.values(j, c);
      if (!virtualEcho) {
        known[k] = t;
        kr[k] = v[2 * channel]!;
        ki[k++] = v[2 * channel + 1]!;
      } else if (t === 0) {
        // its own mirror: real parts only (the imaginary ones are the dispersive part, or noise)
        known[k] = 0;
        kr[k] = v[0]!;
        ki[k++] = v[2]!;
      } else {
        known[k] = t;
        kr[k] = v[0]! - v[3]!;
        ki[k++] = v[1]! + v[2]!;
        known[k] = L - t;
        kr[k] = v[0]! + v[3]!;
        ki[k++] = v[2]! - v[1]!;
      }
    }
    this.dataCount = k;
    for (let t = t1Points; t < (virtualEcho ? L - t1Points + 1 : L); t++) {
      known[k] = t;
      kr[k] = 0;
      ki[k++] = 0;
    }
    this.count = k;
  }

  /** Σ|known measured value|². */
  dataNorm2(): number {
    let d = 0;
    for (let j = 0; j < this.dataCount; j++) d += this.kr[j]! ** 2 + this.ki[j]! ** 2;
    return d;
  }

  /** Channel values (rotated) the reconstruction x gives at t1 point t, into out: [ar, ai, br, bi] or [re, im]. */
  private predicted(t: number, xr: Float64Array, xi: Float64Array, out: Float64Array): void {
    if (!this.s.virtualEcho) {
      out[0] = xr[t]!;
      out[1] = xi[t]!;
      return;
    }
    const w = (this.s.L - t) % this.s.L;
    const [zr, zi, wr, wi] = [xr[t]!, xi[t]!, xr[w]!, xi[w]!];
    // a = (z + conj(z(−t)))/2, b = (z − conj(z(−t)))/(2i)
    out[0] = (zr + wr) / 2;
    out[1] = (zi - wi) / 2;
    out[2] = (zi + wi) / 2;
    out[3] = -(zr - wr) / 2;
  }

  /** Σ|held-out measured value|² of the last heldOutError2. */
  heldNorm2 = 0;

  /** Squared error of the reconstruction x at the held-out points of column c (channel as in fill). */
  heldOutError2(c: number, channel: number, held: Uint8Array, xr: Float64Array, xi: Float64Array): number {
    const { schedule, virtualEcho } = this.s;
    const p = new Float64Array(4);
    let e = 0;
    let d = 0;
    for (let j = 0; j < schedule.length; j++) {
      if (!held[j]) continue;
      this.predicted(schedule[j]!, xr, xi, p);
      const v = this.values(j, c);
      const q0 = virtualEcho ? 0 : 2 * channel;
      for (let q = q0; q < (virtualEcho ? 4 : q0 + 2); q++) {
        e += (p[q - q0]! - v[q]!) ** 2;
        d += v[q]! ** 2;
      }
    }
    this.heldNorm2 = d;
    return e;
  }

  /**
   * The reconstructed column c into the full F2-transformed ser (t1Points × rpp rows of P): x (and x2, channel b
   * without virtual echo) in the IST domain; the F1 phase put back.
   */
  store(
    c: number,
    Gr: Float64Array,
    Gi: Float64Array,
    xr: Float64Array,
    xi: Float64Array,
    xr2: Float64Array,
    xi2: Float64Array,
  ): void {
    const { P, rpp, t1Points, virtualEcho, cos } = this.s;
    const sin = -this.s.sin;
    const p = this.v;
    for (let t = 0; t < t1Points; t++) {
      if (rpp === 1) {
        Gr[t * P + c] = xr[t]!;
        Gi[t * P + c] = xi[t]!;
        continue;
      }
      if (virtualEcho) this.predicted(t, xr, xi, p);
      else {
        p[0] = xr[t]!;
        p[1] = xi[t]!;
        p[2] = xr2[t]!;
        p[3] = xi2[t]!;
      }
      const o = 2 * t * P + c;
      Gr[o] = p[0]! * cos - p[1]! * sin;
      Gr[o + P] = p[0]! * sin + p[1]! * cos;
      Gi[o] = p[2]! * cos - p[3]! * sin;
      Gi[o + P] = p[2]! * sin + p[3]! * cos;
    }
  }
}
