/**
 * Stejskal–Tanner attenuation factor b (s/m²) of a pulsed-field-gradient diffusion experiment, S = S0·exp(−b·D).
 *
 *   b = (γ · g · σ · δ)² · (Δ − λ·δ − τ/2)
 *
 * σ (integral factor) and λ (timing correction) depend on the gradient shape: rectangular σ = 1, λ = 1/3;
 * half-sine σ = 2/π, λ = 1/4 (Sinnaeve, Concepts Magn. Reson. A 40 (2012) 39). For bipolar pulse pairs (BPP, as in
 * the LED-BPP sequences `ledbpgp2s`) δ is the total gradient time of the pair and τ the gap between its two halves,
 * which shortens the effective diffusion time by τ/2 (Wu, Chen, Johnson, J. Magn. Reson. A 115 (1995) 260).
 */

/** ¹H gyromagnetic ratio, rad s⁻¹ T⁻¹. */
export const GAMMA_1H = 2.6752218744e8;

export type GradientShape = 'rectangular' | 'sine' | { sigma: number; lambda: number };

export interface BValueOptions {
  /** Gyromagnetic ratio in rad s⁻¹ T⁻¹ (default ¹H). */
  gamma?: number;
  /** Gradient pulse duration δ in s (for bipolar pairs: both halves together). */
  delta: number;
  /** Diffusion time Δ in s (between the leading edges of the two encoding gradients). */
  bigDelta: number;
  /** Gradient shape (default rectangular). */
  shape?: GradientShape;
  /** Bipolar pairs: the gap τ in s between the two halves of each pair; omit or 0 for monopolar gradients. */
  bipolarGap?: number;
}

export function gradientShapeFactors(shape: GradientShape = 'rectangular'): { sigma: number; lambda: number } {
  if (shape === 'rectangular') return { sigma: 1, lambda: 1 / 3 };
  if (shape === 'sine') return { sigma: 2 / Math.PI, lambda: 1 / 4 };
  if (!(shape.sigma > 0 && shape.sigma <= 1) || !(shape.lambda >= 0 && shape.lambda <= 0.5)) {
    throw new RangeError(`gradient shape factors out of range: sigma ${shape.sigma}, lambda ${shape.lambda}`);
  }
  return shape;
}

/** b in s/m² for gradient amplitude g in T/m (1 G/cm = 0.01 T/m). */
export function bValue(g: number, options: BValueOptions): number {
  const gamma = options.gamma ?? GAMMA_1H;
  const { sigma, lambda } = gradientShapeFactors(options.shape);
  const gap = options.bipolarGap ?? 0;
  if (!(options.delta > 0) || !(options.bigDelta > 0) || gap < 0) {
    throw new RangeError(`bValue: delta (${options.delta} s) and Delta (${options.bigDelta} s) must be > 0, gap ≥ 0`);
  }
  const tDiff = options.bigDelta - lambda * options.delta - gap / 2;
  if (!(tDiff > 0)) throw new RangeError(`bValue: effective diffusion time ${tDiff} s is not positive`);
  const q = gamma * g * sigma * options.delta;
  return q * q * tDiff;
}

/** b-values for a list of gradient amplitudes (T/m). */
export function bValues(gradients: ArrayLike<number>, options: BValueOptions): Float64Array {
  const out = new Float64Array(gradients.length);
  for (let i = 0; i < gradients.length; i++) out[i] = bValue(gradients[i]!, options);
  return out;
}
