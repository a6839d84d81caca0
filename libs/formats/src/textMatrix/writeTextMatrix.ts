/**
 * Writer of the text-matrix layout (the mirror of readTextMatrix): the data matrix and one axis file per
 * dimension, SI units, shortest round-trip decimals, each file written atomically.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Acquisition } from '../acquisition';
import { formatNumberTable } from './checkAxis';
import { writeFileAtomic } from './writeFileAtomic';

export interface TextMatrixPaths {
  data: string;
  axis1: string;
  /** Required for 2D acquisitions. */
  axis2?: string;
}

export async function writeTextMatrix(paths: TextMatrixPaths, acq: Acquisition): Promise<void> {
  const lengths = acq.axes.map((a) => a.values.length);
  if (acq.data.length !== lengths.reduce((a, b) => a * b, 1)) {
    throw new RangeError(`writeTextMatrix: data has ${acq.data.length} values, axes need ${lengths.join('×')}`);
  }
  if (acq.axes.length === 2 && !paths.axis2)
    throw new RangeError('writeTextMatrix: a 2D acquisition needs paths.axis2');
  const files = [paths.axis1, paths.axis2];
  for (let d = 0; d < acq.axes.length; d++) {
    const axis = acq.axes[d]!;
    const file = resolve(files[d]!);
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(
      file,
      formatNumberTable(axis.values, axis.values.length, 1, `${axis.kernel} axis, ${axis.unit}`),
    );
  }
  const data = resolve(paths.data);
  await mkdir(dirname(data), { recursive: true });
  const cols = lengths.length === 2 ? lengths[1]! : 1;
  await writeFileAtomic(data, formatNumberTable(acq.data, lengths[0]!, cols));
}
