/**
 * What every reader's answer must be before it is inverted — the last line against a wrong success: an experiment
 * whose kernels fit its axes, physical axis values (physics `maxAxisValue`), finite data of exactly the axes' shape,
 * and a finite β. `detectAndRead` checks every acquisition it returns; the fuzz tests check every success.
 */
import { maxAxisValue } from '@lapis/physics';
import type { Acquisition } from './acquisition';
import { FormatError } from './acquisition';
import { EXPERIMENT_KERNELS } from '@lapis/contracts/vocabulary';

/** Why `acq` cannot be what a reader returns (undefined when it can). */
export function acquisitionProblem(acq: Acquisition): string | undefined {
  const kernels = EXPERIMENT_KERNELS[acq.experiment];
  if (!kernels) return `unknown experiment ${String(acq.experiment)}`;
  if (!Array.isArray(acq.axes) || acq.axes.length !== kernels.length)
    return `a ${acq.experiment} acquisition needs ${kernels.length} axes, got ${acq.axes?.length}`;
  let points = 1;
  for (const [d, axis] of acq.axes.entries()) {
    if (!kernels[d]!.includes(axis.kernel))
      return `axis ${d + 1}: kernel ${axis.kernel} does not fit ${acq.experiment}`;
    if (axis.unit !== (axis.kernel === 'D' ? 's/m2' : 's'))
      return `axis ${d + 1}: unit ${axis.unit} for ${axis.kernel}`;
    const { max, unit } = maxAxisValue(axis.kernel);
    let positive = 0;
    for (const v of axis.values) {
      if (!Number.isFinite(v) || v < 0 || v > max) return `axis ${d + 1}: value ${v} is outside 0–${max} ${unit}`;
      if (v > 0) positive++;
    }
    if (positive < 2) return `axis ${d + 1}: fewer than two positive values`;
    if (axis.beta !== undefined && !(axis.beta >= 0 && axis.beta <= 1.5))
      return `axis ${d + 1}: inversion efficiency β ${axis.beta} is not between 0 and 1.5`;
    points *= axis.values.length;
  }
  if (acq.data.length !== points) return `data hold ${acq.data.length} values, the axes need ${points}`;
  // Up to 2^18 values, three native scans (a cold JS loop costs 3× more in a one-shot CLI); beyond, the loop is
  // optimised early and is faster. The loop also finds which value it was.
  const data = acq.data;
  const suspect =
    data.length > 1 << 18 || data.includes(Number.NaN) || data.includes(Infinity) || data.includes(-Infinity);
  if (suspect) {
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) return `data value ${i + 1} is not finite`;
  }
  return undefined;
}

/** A FormatError naming `file` when `acq` is not a valid acquisition. */
export function checkAcquisition(acq: Acquisition, file: string): Acquisition {
  const problem = acquisitionProblem(acq);
  if (problem) throw new FormatError(file, `read, but not a valid acquisition: ${problem}`);
  return acq;
}
