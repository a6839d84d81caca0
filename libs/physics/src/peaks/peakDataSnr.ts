/**
 * A peak's signal in the data, ‖K·f_P‖/σ (f_P the map on the peak's cells), from the kernels' Gram matrices —
 * ‖K1·F_P·K2ᵀ‖² = Σ f_ij·f_kl·(K1ᵀK1)_ik·(K2ᵀK2)_jl, no pass over the data. findPeaks leaves out peaks under
 * `minDataSnr` (default 5); why: docs/physics.md, "Only populations the data show are listed".
 */
import { gramOf } from '../linalg/kernelSvd';
import type { Matrix } from '../types';
import type { InvertInput } from '../inversion/invert';
import { inversionKernels, usableSigma, type InvertedMap } from './invertedMap';

/** Infinity (nothing to compare with) where the inversion has no finite σ > 0; findPeaks then attaches nothing. */
export function peakDataSnr(
  input: InvertInput,
  inversion: InvertedMap,
  kernels?: Matrix[],
): (region: ArrayLike<number>) => number {
  const sigma = inversion.solver.sigma;
  if (!usableSigma(sigma)) return () => Infinity;
  const grams = (kernels ?? inversionKernels(input, inversion)).map((k) => gramOf(k));
  const n2 = input.axes.length === 2 ? inversion.axes[1]!.values.length : 1;
  const n1 = inversion.axes[0]!.values.length;
  const g1 = grams[0]!;
  const g2 = grams[1];
  const f = inversion.distribution;
  return (region) => {
    const cells = Array.from(region).filter((c) => f[c]! > 0);
    let energy = 0;
    for (const a of cells) {
      const i = Math.floor(a / n2);
      const j = a - i * n2;
      const fa = f[a]!;
      for (const b of cells) {
        const k = Math.floor(b / n2);
        const l = b - k * n2;
        energy += fa * f[b]! * g1[i * n1 + k]! * (g2 ? g2[j * n2 + l]! : 1);
      }
    }
    return Math.sqrt(Math.max(energy, 0)) / sigma;
  };
}
