/**
 * Reader of the plain text-matrix layout older inversion programs use: one numeric text file with the data
 * (a column or a row for 1D; rows follow axis 1 and columns axis 2 for 2D) and one text file of axis values per
 * dimension. The files carry no kernels or units, so the caller names them (the CLI's --kernel1/--kernel2).
 */
import { resolve } from 'node:path';
import type { Acquisition, AcquisitionAxis } from '../acquisition';
import { FormatError } from '../acquisition';
import { axisUnitToSi, checkAxisValues, checkDataShape, checkKernelName, experimentOfKernels } from './checkAxis';
import { MAX_AXIS_VALUES, readNumberTable } from './readNumberTable';

export const TEXT_MATRIX_FORMAT = 'text-matrix';

/** Unit an axis file is written in: any time or b-value spelling of the shared parser (libs/contracts/src/units.ts). */
export type TextMatrixUnit = string;

export interface TextMatrixOptions {
  /** Data file. */
  data: string;
  /** Axis file of dimension 1 (down the rows of the data). */
  axis1: string;
  /** Axis file of dimension 2 (across the columns); 2D only. */
  axis2?: string;
  /** Kernel of dimension 1: 'T1-IR', 'T1-SR', 'T2' or 'D'. */
  kernel1: string;
  /** Kernel of dimension 2; required with axis2. */
  kernel2?: string;
  /** Unit of the values in axis1 (default SI: 's', or 's/m2' for D). */
  unit1?: TextMatrixUnit;
  unit2?: TextMatrixUnit;
  /** Inversion efficiency of a T1-IR axis, if known. */
  beta1?: number;
  /** Refuse files larger than this (default 512 MiB). */
  maxBytes?: number;
}

export async function readTextMatrix(options: TextMatrixOptions): Promise<Acquisition> {
  const dataFile = resolve(options.data);
  const axisFiles = [options.axis1, options.axis2].filter((f): f is string => f !== undefined).map((f) => resolve(f));
  const kernelNames = [options.kernel1, options.kernel2].filter((k): k is string => k !== undefined);
  if (kernelNames.length !== axisFiles.length) {
    throw new FormatError(
      dataFile,
      `${axisFiles.length} axis file${axisFiles.length === 1 ? '' : 's'} but ${kernelNames.length} kernel${kernelNames.length === 1 ? '' : 's'}: give one kernel per axis`,
    );
  }
  const kernels = kernelNames.map((k) => checkKernelName(dataFile, k));
  const experiment = experimentOfKernels(dataFile, kernels);
  const units = [options.unit1, options.unit2];
  const axes: AcquisitionAxis[] = [];
  for (let d = 0; d < axisFiles.length; d++) {
    const file = axisFiles[d]!;
    const kernel = kernels[d]!;
    const table = await readNumberTable(file, { maxBytes: options.maxBytes, expectedValues: MAX_AXIS_VALUES });
    if (table.rows !== 1 && table.cols !== 1) {
      throw new FormatError(
        file,
        `an axis file needs one column or one row of values, found ${table.rows}×${table.cols}`,
      );
    }
    const { si, toSi } = axisUnitToSi(file, `axis ${d + 1}`, units[d] ?? (kernel === 'D' ? 's/m2' : 's'), kernel);
    const values = table.data.map(toSi);
    checkAxisValues(file, `axis ${d + 1}`, values, kernel);
    const axis: AcquisitionAxis = { kernel, values, unit: si };
    if (d === 0 && options.beta1 !== undefined) axis.beta = options.beta1;
    axes.push(axis);
  }
  const table = await readNumberTable(dataFile, {
    maxBytes: options.maxBytes,
    expectedValues: axes.reduce((n, a) => n * a.values.length, 1),
  });
  checkDataShape(
    dataFile,
    table,
    axes.map((a) => a.values.length),
  );
  return {
    experiment,
    axes: axes as Acquisition['axes'],
    data: table.data,
    metadata: { source: TEXT_MATRIX_FORMAT, path: dataFile, files: [dataFile, ...axisFiles] },
    warnings: [],
  };
}
