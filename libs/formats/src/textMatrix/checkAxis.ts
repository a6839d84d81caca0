/**
 * Checks of acquisition axes shared by the lapis and text-matrix readers: what a spectrometer can have varied.
 */
import { maxAxisValue } from '@lapis/physics';
import { parseUnit, unitProblem, UNIT_SPELLINGS } from '@lapis/contracts/units';
import { KERNEL_NAMES } from '@lapis/contracts/vocabulary';
import type { AcquisitionSiUnit, Experiment, KernelName } from '@lapis/contracts/vocabulary';
import { FormatError } from '../acquisition';

/**
 * Throws a FormatError unless `values` are finite, non-negative, physical (physics `maxAxisValue`) and strictly
 * monotonic (increasing or decreasing: some delay lists run backwards, which changes nothing for the inversion;
 * repeats and shuffles are usually a wrong file or a wrong column).
 */
export function checkAxisValues(file: string, label: string, values: ArrayLike<number>, kernel: KernelName): void {
  const what = kernel === 'D' ? 'b-value' : 'time';
  const limit = maxAxisValue(kernel);
  if (values.length === 0) throw new FormatError(file, `${label} has no values`);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new FormatError(file, `${label} value ${i + 1} is not finite (${v})`);
    if (v < 0) throw new FormatError(file, `${label} has a negative ${what}: ${v} (value ${i + 1})`);
    if (v > limit.max)
      throw new FormatError(
        file,
        `${label} value ${i + 1} is ${v} ${limit.unit} in SI, beyond any acquisition (≤ ${limit.max} ${limit.unit}): wrong unit?`,
      );
  }
  if (values.length < 2) return;
  const sign = Math.sign(values[1]! - values[0]!);
  for (let i = 1; i < values.length; i++) {
    const step = values[i]! - values[i - 1]!;
    if (step === 0) {
      throw new FormatError(file, `${label} has a duplicate value ${values[i]} (values ${i} and ${i + 1})`);
    }
    if (Math.sign(step) !== sign) {
      throw new FormatError(
        file,
        `${label} is not monotonic: ${values[i - 1]} then ${values[i]} (values ${i} and ${i + 1})`,
      );
    }
  }
  // A strictly monotonic list has no duplicates, so the check above is complete.
}

/**
 * The SI unit of a `kernel`'s axis and the factor that takes values written in `unit` there (any spelling the shared
 * unit parser knows: ms, µs, s/m^2, s/mm² …); a FormatError naming `label` when the unit is unknown or does not fit.
 */
export function axisUnitToSi(
  file: string,
  label: string,
  unit: string,
  kernel: KernelName,
): { si: AcquisitionSiUnit; toSi: (value: number) => number } {
  const quantity = kernel === 'D' ? 'b-value' : 'time';
  const parsed = parseUnit(unit);
  if (parsed && parsed.quantity !== quantity)
    throw new FormatError(
      file,
      `${label}: unit ${unit} does not fit kernel ${kernel} (expected ${UNIT_SPELLINGS[quantity]})`,
    );
  if (!parsed) throw new FormatError(file, `${label}: ${unitProblem(unit, [quantity])!}`);
  return { si: kernel === 'D' ? 's/m2' : 's', toSi: parsed.toSi };
}

/** Throws unless `name` is a known kernel; returns it typed. */
export function checkKernelName(file: string, name: string): KernelName {
  if ((KERNEL_NAMES as readonly string[]).includes(name)) return name as KernelName;
  throw new FormatError(file, `unknown kernel '${name}' (expected ${KERNEL_NAMES.join(', ')})`);
}

/** The experiment a list of kernels describes, or a FormatError when they make no known experiment. */
export function experimentOfKernels(file: string, kernels: readonly KernelName[]): Experiment {
  const t1 = (k: KernelName | undefined) => k === 'T1-IR' || k === 'T1-SR';
  const [k1, k2] = kernels;
  if (kernels.length === 1) return t1(k1) ? 'T1' : k1 === 'T2' ? 'T2' : 'D';
  if (kernels.length === 2) {
    if (t1(k1) && k2 === 'T2') return 'T1-T2';
    if (k1 === 'D' && k2 === 'T2') return 'D-T2';
    if (k1 === 'T2' && k2 === 'T2') return 'T2-T2';
  }
  throw new FormatError(
    file,
    `kernels ${kernels.join(' × ')} make no known experiment (T1-T2, D-T2 or T2-T2, with T2 across the columns)`,
  );
}

/**
 * Checks that the data table has the shape the axes ask for. A 1D set may be one column or one row.
 * Returns the data unchanged (a 1D row and a 1D column are the same flat array).
 */
export function checkDataShape(file: string, table: { rows: number; cols: number }, lengths: readonly number[]): void {
  const { rows, cols } = table;
  if (lengths.length === 1) {
    const n = lengths[0]!;
    const vector = rows === 1 || cols === 1;
    if (!vector) {
      throw new FormatError(
        file,
        `wrong dimensions: data is ${rows}×${cols}, a 1D axis of ${n} values needs one column or one row`,
      );
    }
    if (rows * cols !== n) {
      throw new FormatError(file, `axis length mismatch: data has ${rows * cols} values, the axis has ${n}`);
    }
    return;
  }
  const [n1, n2] = lengths as [number, number];
  if (rows !== n1 || cols !== n2) {
    const swapped = rows === n2 && cols === n1 ? ' (transposed? axes[0] runs down the rows)' : '';
    throw new FormatError(file, `wrong dimensions: data is ${rows}×${cols}, the axes need ${n1}×${n2}${swapped}`);
  }
}

/** Text of a numeric table: shortest round-trip decimal of each value, space-separated, one row per line. */
export function formatNumberTable(data: ArrayLike<number>, rows: number, cols: number, header?: string): string {
  const lines: string[] = [];
  if (header) for (const h of header.split('\n')) lines.push(`# ${h}`);
  const row: string[] = new Array<string>(cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) row[j] = String(data[i * cols + j]);
    lines.push(row.join(' '));
  }
  return lines.join('\n') + '\n';
}
