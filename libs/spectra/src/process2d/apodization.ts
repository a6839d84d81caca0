/**
 * Window functions of TopSpin's processing parameter WDW, for one dimension of a 2D spectrum (Bruker, "TopSpin
 * Processing Reference"): EM exp(−π·LB·t); GM exp(−a·t − b·t²) with a = π·LB, b = −a/(2·GB·AQ) (LB < 0, 0 < GB < 1:
 * Lorentz-to-Gauss); SINE sin((π − φ)·t/AQ + φ) and QSINE its square, φ = π/SSB (SSB 0 or 1: φ = 0, a sine that
 * starts at zero; SSB 2: a cosine). t counts from the top of the filtered FID (`offset` points in: the digital
 * filter's group delay in F2, 0 in F1), so a sine bell starts where the signal starts.
 */

export type Apodization =
  | { kind: 'none' }
  | { kind: 'exponential'; lineBroadening: number }
  | { kind: 'gaussian'; lineBroadening: number; gaussianBroadening: number }
  | { kind: 'sine'; ssb: number }
  | { kind: 'sine-squared'; ssb: number };

/** The window over `points` values (the points used, after linear prediction), `sw` Hz between samples. */
export function apodizationWindow(apod: Apodization, points: number, sw: number, offset = 0): Float64Array {
  const w = new Float64Array(points);
  const g = Math.min(Math.max(offset, 0), Math.max(points - 2, 0));
  const span = Math.max(points - g, 1);
  const aq = span / sw;
  for (let k = 0; k < points; k++) {
    const t = Math.max(0, k - g) / sw;
    w[k] = windowValue(apod, t, aq);
  }
  return w;
}

function windowValue(apod: Apodization, t: number, aq: number): number {
  switch (apod.kind) {
    case 'none':
      return 1;
    case 'exponential':
      return Math.exp(-Math.PI * apod.lineBroadening * t);
    case 'gaussian': {
      const a = Math.PI * apod.lineBroadening;
      const b = -a / (2 * apod.gaussianBroadening * aq);
      return Math.exp(-a * t - b * t * t);
    }
    case 'sine':
    case 'sine-squared': {
      const phi = apod.ssb >= 2 ? Math.PI / apod.ssb : 0;
      const v = Math.sin((Math.PI - phi) * Math.min(t / aq, 1) + phi);
      return apod.kind === 'sine' ? v : v * v;
    }
  }
}

/** TopSpin's WDW numbers and names (procs). */
const WDW_NAMES = ['no', 'EM', 'GM', 'SINE', 'QSINE', 'TRAP', 'USER', 'SINC', 'QSINC', 'TRAF', 'TRAFS'];

/**
 * The window a procs/proc2s file asks for (WDW with LB, GB, SSB), or undefined with the reason when it is one
 * Lapis does not compute (TRAP, USER, SINC, …) or its parameters are out of range.
 */
export function apodizationOf(p: {
  wdw?: number | undefined;
  lb?: number | undefined;
  gb?: number | undefined;
  ssb?: number | undefined;
}): { apodization?: Apodization; problem?: string } {
  const wdw = p.wdw;
  if (wdw === undefined) return { problem: 'no WDW' };
  const ok = (x: number | undefined, lo: number, hi: number): x is number =>
    x !== undefined && Number.isFinite(x) && x >= lo && x <= hi;
  switch (wdw) {
    case 0:
      return { apodization: { kind: 'none' } };
    case 1:
      return ok(p.lb, -1000, 1000)
        ? { apodization: { kind: 'exponential', lineBroadening: p.lb } }
        : { problem: `EM with LB ${p.lb}` };
    case 2:
      return ok(p.lb, -1000, -1e-9) && ok(p.gb, 1e-6, 1)
        ? { apodization: { kind: 'gaussian', lineBroadening: p.lb, gaussianBroadening: p.gb } }
        : { problem: `GM with LB ${p.lb}, GB ${p.gb} (needs LB < 0, 0 < GB ≤ 1)` };
    case 3:
    case 4: {
      const ssb = p.ssb ?? 0;
      if (!ok(ssb, 0, 1e6)) return { problem: `${WDW_NAMES[wdw]} with SSB ${ssb}` };
      return { apodization: { kind: wdw === 3 ? 'sine' : 'sine-squared', ssb } };
    }
    default:
      return { problem: `window ${WDW_NAMES[wdw] ?? wdw} not computed by Lapis` };
  }
}

/** Short text for documents and tables: 'QSINE SSB 2', 'EM 0.3 Hz'. */
export function describeApodization(a: Apodization): string {
  switch (a.kind) {
    case 'none':
      return 'none';
    case 'exponential':
      return `EM ${a.lineBroadening} Hz`;
    case 'gaussian':
      return `GM LB ${a.lineBroadening} Hz GB ${a.gaussianBroadening}`;
    case 'sine':
      return `SINE SSB ${a.ssb}`;
    case 'sine-squared':
      return `QSINE SSB ${a.ssb}`;
  }
}
