/**
 * `FormatReader` for the read.ts registry: a Prospa `.1d` file (tags PROS DATA). `--kernel1` names the kernel
 * (default T2) and `--unit1` the unit of the stored x axis (default ms).
 */
import { open } from 'node:fs/promises';
import { KERNEL_NAMES, type KernelName } from '@lapis/contracts/vocabulary';
import { FormatError } from '../acquisition';
import type { FormatReader } from '../formatReader';
import type { ReadProspaOptions } from './readProspaAcquisition';

async function hasProspaTags(path: string): Promise<boolean> {
  try {
    const h = await open(path, 'r');
    try {
      const b = Buffer.alloc(8);
      const { bytesRead } = await h.read(b, 0, 8, 0);
      const tags = b.toString('latin1');
      return bytesRead === 8 && (tags === 'SORPATAD' || tags === 'ATADSORP');
    } finally {
      await h.close();
    }
  } catch {
    return false;
  }
}

export const prospaReader: FormatReader = {
  name: 'prospa',
  priority: 70,
  takesAxisOptions: true,
  async detect(path) {
    return /\.[1-4]d$/i.test(path) && (await hasProspaTags(path));
  },
  async read(path, options) {
    const o: ReadProspaOptions = {};
    if (options.kernel1 !== undefined) {
      if (!(KERNEL_NAMES as readonly string[]).includes(options.kernel1))
        throw new FormatError(path, `unknown kernel ${options.kernel1} (${KERNEL_NAMES.join(', ')})`);
      o.kernel = options.kernel1 as KernelName;
    }
    if (options.unit1 !== undefined) o.xUnit = options.unit1;
    if (options.maxBytes !== undefined) o.maxBytes = options.maxBytes;
    const { readProspaAcquisition } = await import('./readProspaAcquisition');
    return readProspaAcquisition(path, o);
  },
};
