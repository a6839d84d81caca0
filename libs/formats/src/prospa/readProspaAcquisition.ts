/**
 * A Prospa 1D decay (.1d: CPMG echo train, T1 recovery, diffusion decay) → Acquisition. Prospa files carry no
 * experiment, so the caller names the kernel (default 'T2') and the unit of the stored x axis (default ms, Prospa's
 * usual echo-time unit — stated in a warning since the file cannot confirm it), or passes the axis itself.
 * Complex data are phased to put the signal in the real part: φ = −arg Σ S·|S| (as for pseudo-2D spectra), which
 * keeps the sign changes of an inversion recovery.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { KernelName } from '@lapis/physics';
import { FormatError, type Acquisition, type Experiment } from '../acquisition';
import { autoPhase0 } from '@lapis/spectra';
import { axisUnitToSi } from '../textMatrix/checkAxis';
import { parseProspa } from './prospa';
import { checkReadableFile, MAX_EXPORT_BYTES } from '../textMatrix/readNumberTable';

export interface ReadProspaOptions {
  /** Kernel of the axis (default 'T2'). */
  kernel?: KernelName;
  /** Unit of the file's x axis, any time or b-value spelling of the shared parser (default 'ms', or 's/m2' for D). */
  xUnit?: string;
  /** The axis, SI units, when the file has none (types 500–502). */
  axis?: ArrayLike<number>;
  /** Refuse files larger than this (default MAX_EXPORT_BYTES, 64 MiB). */
  maxBytes?: number;
}

export async function readProspaAcquisition(path: string, options: ReadProspaOptions = {}): Promise<Acquisition> {
  await checkReadableFile(path, 'the Prospa file', options.maxBytes ?? MAX_EXPORT_BYTES);
  const p = parseProspa(await readFile(path), { file: path });
  const warnings = [...p.warnings];
  const n = p.dims[0];
  if (p.dims[1] * p.dims[2] * p.dims[3] !== 1) {
    throw new FormatError(path, `a ${p.dims.join('×')} data set: only 1D decays become an acquisition here`);
  }
  const kernel = options.kernel ?? 'T2';
  let axis: Float64Array;
  if (options.axis) {
    if (options.axis.length !== n) throw new FormatError(path, `axis has ${options.axis.length} values, the data ${n}`);
    axis = Float64Array.from(options.axis);
  } else if (p.x) {
    const unit = options.xUnit ?? (kernel === 'D' ? 's/m2' : 'ms');
    if (options.xUnit === undefined) warnings.push(`x axis unit assumed ${unit} (Prospa files do not record it)`);
    axis = p.x.map(axisUnitToSi(path, 'x axis', unit, kernel).toSi);
  } else {
    throw new FormatError(path, `data type ${p.dataType} has no x axis: pass the axis`);
  }
  let data = p.re;
  let phase = 0;
  if (p.im) {
    phase = autoPhase0(p.re, p.im);
    const c = Math.cos(phase);
    const s = Math.sin(phase);
    data = p.re.map((r, i) => r * c - p.im![i]! * s);
  }
  const experiment: Experiment = kernel === 'T2' ? 'T2' : kernel === 'D' ? 'D' : 'T1';
  return {
    experiment,
    axes: [{ kernel, values: axis, unit: kernel === 'D' ? 's/m2' : 's' }],
    data: Float64Array.from(data),
    metadata: { source: 'prospa', path, experimentNumber: basename(path), phase0: phase, prospaDataType: p.dataType },
    warnings,
  };
}
