/**
 * Poisson-gap sampling schedules for non-uniformly sampled (NUS) indirect dimensions: S. G. Hyberts, K. Takeuchi,
 * G. Wagner, "Poisson-gap sampling and forward maximum entropy reconstruction for enhancing the resolution and
 * sensitivity of protein NMR data", J. Am. Chem. Soc. 132 (2010) 2145; S. G. Hyberts, H. Arthanari, G. Wagner,
 * "Applications of non-uniform sampling and processing", Top. Curr. Chem. 316 (2012) 125.
 *
 * The gaps between sampled points are Poisson-distributed with a mean that grows along t1 as sin(θ), θ from 0 to π/2
 * ("sine-weighted"): dense sampling where the signal is strong, sparse where it has decayed, and no long gaps that
 * would put strong, coherent artifacts in the spectrum. The mean is adjusted (×/÷ 1.02, as in the published
 * generator) until a draw has exactly the requested number of points; every draw starts at t1 = 0, so the first
 * point is always sampled. Deterministic per seed.
 */
import { createRng, type Rng } from '@lapis/physics';

export interface PoissonGapOptions {
  /** 'sine' (default): gaps grow along t1 as sin θ, 0 … π/2; 'uniform': one Poisson mean throughout. */
  weighting?: 'sine' | 'uniform';
  /** Draws tried before the nearest one is trimmed or padded to the count (default 100 000). */
  maxDraws?: number;
}

/** Knuth's Poisson sampler; the means here are small (< 100). */
function poisson(rng: Rng, mean: number): number {
  if (!(mean > 0)) return 0;
  const limit = Math.exp(-Math.min(mean, 700));
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/**
 * `count` distinct indices in [0, size), ascending, the first 0, drawn as a sine-weighted Poisson-gap schedule.
 * Throws RangeError when size or count is not an integer with 1 ≤ count ≤ size.
 */
export function poissonGapSchedule(
  size: number,
  count: number,
  seed: number,
  options: PoissonGapOptions = {},
): Int32Array {
  if (!Number.isSafeInteger(size) || size < 1 || size > 1 << 24)
    throw new RangeError(`poissonGapSchedule: size ${size} must be an integer in 1…2^24`);
  if (!Number.isSafeInteger(count) || count < 1 || count > size)
    throw new RangeError(`poissonGapSchedule: count ${count} must be an integer in 1…${size}`);
  if (count === size) return Int32Array.from({ length: size }, (_, i) => i);
  const sine = (options.weighting ?? 'sine') === 'sine';
  const rng = createRng(seed);
  const v = new Int32Array(size);
  let best: Int32Array | undefined;
  // the mean gap is size/count − 1; sin θ averages 2/π over the range, hence the published start 2·(ld − 1)
  let adjust = sine ? 2 * (size / count - 1) : size / count - 1;
  const maxDraws = options.maxDraws ?? 100_000;
  for (let draw = 0; draw < maxDraws; draw++) {
    let n = 0;
    let i = 0;
    while (i < size) {
      v[n++] = i;
      i += 1;
      const mean = sine ? adjust * Math.sin(((i + 0.5) / (size + 1)) * (Math.PI / 2)) : adjust;
      i += poisson(rng, mean);
    }
    if (n === count) return v.slice(0, n);
    if (!best || Math.abs(n - count) < Math.abs(best.length - count)) best = v.slice(0, n);
    adjust = n > count ? adjust * 1.02 : adjust / 1.02;
  }
  return fitCount(best!, size, count, rng);
}

/** The nearest draw trimmed (its last points) or padded (random unsampled indices) to exactly `count`. */
function fitCount(draw: Int32Array, size: number, count: number, rng: Rng): Int32Array {
  if (draw.length >= count) return draw.slice(0, count);
  const taken = new Uint8Array(size);
  for (const i of draw) taken[i] = 1;
  const out = Array.from(draw);
  while (out.length < count) {
    const i = Math.floor(rng.next() * size);
    if (taken[i]) continue;
    taken[i] = 1;
    out.push(i);
  }
  return Int32Array.from(out).sort();
}
