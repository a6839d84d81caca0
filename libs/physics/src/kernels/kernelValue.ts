import type { KernelSpec } from '../types';

/** One kernel value K(x, y) — see docs/physics.md. x: delay or echo time in s, or b in s/m²; y: T1/T2 in s or D in m²/s. */
export function kernelValue(spec: KernelSpec, x: number, y: number): number {
  switch (spec.kernel) {
    case 'T1-IR':
      return 1 - (1 + (spec.beta ?? 1)) * Math.exp(-x / y);
    case 'T1-SR':
      return 1 - Math.exp(-x / y);
    case 'T2':
      return Math.exp(-x / y);
    case 'D':
      return Math.exp(-x * y);
  }
}
