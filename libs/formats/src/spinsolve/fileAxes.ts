/**
 * Axes a Spinsolve folder's files carry beside acqu.par's: list files (1D_T1IRT2/timeT1_s.dat, timeT2_s.dat,
 * gradients.par) and a data file's own x axis, each reconciled with what acqu.par says (axes.ts).
 */
import { join } from 'node:path';
import { parseUnit } from '@lapis/contracts/units';
import { gradientSteps } from './axes';
import { exists, type Budget } from './dataFiles';
import type { SpinsolveParameters } from './parameters';
import { parseList } from './textExport';

/** A list file beside the data (1D_T1IRT2/timeT1_s.dat, timeT2_s.dat, gradients.par); undefined when absent. */
export async function listFile(file: string, budget: Budget): Promise<Float64Array | undefined> {
  if (!(await exists(file))) return undefined;
  return parseList((await budget.read(file)).toString('latin1'), file);
}

/**
 * A file's own axis against acqu.par's: the same in one of `units` → acqu.par's exact values; with `scaleFree`,
 * proportional (b-values in a unit parseUnit does not know, as DiffusionPlot.csv's 10⁹ s/m²) → acqu.par's values;
 * otherwise the file's, read in the unit that comes closest, with a warning.
 */
export function reconcile(
  name: string,
  own: Float64Array,
  computed: Float64Array,
  units: string[],
  warnings: string[],
  notes: string[],
  scaleFree = false,
): Float64Array {
  if (own.length !== computed.length) {
    warnings.push(`${name} has ${own.length} values, acqu.par ${computed.length}: acqu.par's used`);
    return computed;
  }
  const factors = units.map((u) => ({ unit: u, factor: parseUnit(u)!.factor }));
  const close = (f: number) =>
    own.every((v, i) => Math.abs(v * f - computed[i]!) <= 2e-3 * Math.abs(computed[i]!) + 1e-300);
  for (const { unit, factor } of factors) {
    if (close(factor)) {
      notes.push(`${name} agrees with acqu.par (in ${unit})`);
      return computed;
    }
  }
  const ratios = Array.from(computed, (c, i) => c / own[i]!).filter((r) => Number.isFinite(r) && r > 0);
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)];
  if (scaleFree && median !== undefined && ratios.length === own.length && close(median)) {
    notes.push(`${name} is proportional to acqu.par's axis (× ${median.toPrecision(6)})`);
    return computed;
  }
  const best =
    median === undefined
      ? factors[0]!
      : factors.reduce((a, b) =>
          Math.abs(Math.log(median / b.factor)) < Math.abs(Math.log(median / a.factor)) ? b : a,
        );
  warnings.push(`${name} does not follow acqu.par: the file's values are used, read in ${best.unit}`);
  return own.map((v) => v * best.factor);
}

/** Gradient steps, T/m: gradients.par when present (and as long as the data), else computed from acqu.par. */
export async function gradientsOf(
  dir: string,
  p: SpinsolveParameters,
  count: number,
  budget: Budget,
  files: string[],
  warnings: string[],
): Promise<Float64Array> {
  const file = join(dir, 'gradients.par');
  const list = await listFile(file, budget);
  if (list) {
    files.push(file);
    if (list.length === count) return list;
    warnings.push(`gradients.par holds ${list.length} gradients for ${count} steps: ignored`);
  }
  const steps = p.number('nrSteps');
  if (steps !== undefined && steps !== count)
    warnings.push(`nrSteps = ${steps} but the data hold ${count} gradient steps`);
  return gradientSteps(
    p,
    count,
    steps !== undefined && Number.isInteger(steps) && steps >= count ? steps : count,
    warnings,
  );
}
