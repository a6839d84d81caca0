/** The `auto` method rule of `invert` (docs/physics.md, "auto"). */
import type { Method } from './invert';

/** 2D data with at least this SNR (max |signal| / σ) are inverted with UPEN by `auto`. */
export const AUTO_UPEN_MIN_SNR = 200;

/**
 * The `auto` rule, from what the benchmark measured. 1D: UPEN — its locally adapted smoothing costs milliseconds
 * there and keeps sharp and broad peaks in the same curve. 2D: SVD-compressed non-negative Tikhonov with the
 * discrepancy-principle α (the fastest method, reference accuracy on separated peaks) unless the SNR is high enough
 * for close populations to be resolvable (AUTO_UPEN_MIN_SNR), where UPEN keeps them apart. A fixed α asks for Tikhonov,
 * 1D or 2D.
 */
export function chooseMethod(
  requested: Method,
  at: { dims: number; points: number; grid: number[]; alphaGiven: boolean; snr?: number },
): { method: Exclude<Method, 'auto'>; reason: string } {
  if (requested !== 'auto') return { method: requested, reason: 'requested' };
  const { dims, points, grid, snr } = at;
  const size =
    dims === 1
      ? `1D data (${points} points, ${grid[0]}-point grid`
      : `2D data (${points} points, ${grid.join('×')} grid`;
  if (at.alphaGiven) {
    return { method: 'tikhonov', reason: `auto: ${size}) with a given α — non-negative Tikhonov at that α` };
  }
  if (dims === 1) {
    return {
      method: 'upen',
      reason: `auto: ${size}) — UPEN's locally adapted smoothing is affordable in 1D and keeps sharp and broad peaks`,
    };
  }
  const snrText = snr === undefined ? '' : `, SNR ${snr.toPrecision(3)}`;
  if (snr !== undefined && snr >= AUTO_UPEN_MIN_SNR) {
    return {
      method: 'upen',
      reason: `auto: ${size}${snrText} ≥ ${AUTO_UPEN_MIN_SNR}) — UPEN's locally adapted smoothing, which at this SNR keeps close populations apart that uniform smoothing merges`,
    };
  }
  return {
    method: 'tikhonov',
    reason: `auto: ${size}${snrText} < ${AUTO_UPEN_MIN_SNR}) — SVD-compressed non-negative Tikhonov with the discrepancy-principle α, the fastest method with reference accuracy on separated peaks`,
  };
}
