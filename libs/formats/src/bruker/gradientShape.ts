/**
 * Gradient shape factors (σ, λ of libs/physics `bValue`) from a TopSpin shape name (GPNAMn).
 * SINE.* is the half sine; SMSQ<r>.* is taken as a square with quarter-sine ramps over r % of the pulse at each
 * end (our reading of Bruker's "smoothed square"; TopSpin's own file may differ slightly), integrated numerically:
 * with F(x) = ∫₀ˣ s and δ = 1, σ = F(1) and λ = 1 − (∫F² + ∫(σ−F)²)/σ², which gives 1/3 for a rectangle and 1/4
 * for a half sine, as the closed forms do.
 */
import type { GradientShape } from '@lapis/physics';

export function shapeFactorsOf(s: (x: number) => number, n = 4000): { sigma: number; lambda: number } {
  const h = 1 / n;
  const F = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) F[i + 1] = F[i]! + (h * (s(i * h) + s((i + 1) * h))) / 2;
  const sigma = F[n]!;
  let a = 0;
  for (let i = 0; i <= n; i++) {
    const w = i === 0 || i === n ? h / 2 : h;
    const f = F[i]!;
    a += w * (f * f + (sigma - f) * (sigma - f));
  }
  return { sigma, lambda: 1 - a / (sigma * sigma) };
}

export function gradientShapeFromName(name: string | undefined): { shape: GradientShape; warning?: string } {
  const lower = (name ?? '').trim().toLowerCase();
  if (lower.startsWith('sine')) return { shape: 'sine' };
  if (lower.startsWith('rect') || lower.startsWith('square')) return { shape: 'rectangular' };
  const smsq = /^smsq(\d+)/.exec(lower);
  if (smsq) {
    const r = Number(smsq[1]) / 100;
    if (r > 0 && r < 0.5) {
      const s = (x: number): number =>
        x < r ? Math.sin((Math.PI / 2) * (x / r)) : x > 1 - r ? Math.sin((Math.PI / 2) * ((1 - x) / r)) : 1;
      return { shape: shapeFactorsOf(s) };
    }
  }
  return {
    shape: 'rectangular',
    warning: `gradient shape '${name ?? ''}' not recognised: rectangular factors (σ 1, λ 1/3) assumed`,
  };
}
