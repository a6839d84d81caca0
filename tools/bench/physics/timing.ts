/** bench:physics' clock: the machine's calibration workload, the solvers' warm-up, and the medians it reports. */
import { invert } from '@lapis/physics';
import { buildSuite, caseInput, simulateCase } from './cases';
import { invertOptions, seed } from './options';

export function calibrate(): number {
  // A fixed floating-point workload measured in the same run, so figures from busy or different machines can be
  // compared as ratios: 200 × (128 × 128 · 128 × 128) multiply–adds.
  const n = 128;
  const a = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const b = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i));
  const c = new Float64Array(n * n);
  const t0 = performance.now();
  for (let r = 0; r < 20; r++) {
    c.fill(0);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < n; k++) {
        const aik = a[i * n + k]!;
        for (let j = 0; j < n; j++) c[i * n + j]! += aik * b[k * n + j]!;
      }
  }
  return (performance.now() - t0) / 20;
}

/**
 * Every method once on a few cases of another seed (one per kind, SNR 100, untimed) before the timed suite, so that the
 * first timed cases do not pay for V8 compiling the solvers — the agent inverts in a long-running process. Without it
 * the first T1–T2 cases, which the references are compared on, ran up to 2–3× slower than the same cases later on.
 */
export function warmUp(methods: string[]): void {
  const warm = buildSuite({ seed: seed + 1, snrs: [100], separations: [0.75] });
  const kinds = new Set<string>();
  for (const c of warm) {
    if (kinds.has(c.kind)) continue;
    kinds.add(c.kind);
    const input = caseInput(c, simulateCase(c).data);
    for (const method of methods) {
      if (method === 'nnls' && c.axes.length === 2) continue;
      invert(input, invertOptions(method));
    }
  }
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
