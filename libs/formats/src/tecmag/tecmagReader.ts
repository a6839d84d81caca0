/**
 * `FormatReader` for the read.ts registry: a Tecmag .tnt file (magic 'TNT1.00x' in its first 8 bytes) or TNMR's text
 * export of one (first line 'Data Point Listing of File …'). Priority 74: a magic-number check, as specific as
 * Prospa's tags. Reader options it understands: kernel1, axis1/axis2 with unit1/unit2, echoTime, delayTable, maxBytes.
 */
import type { FormatReader, ReadOptions } from '../formatReader';
import type { ReadTecmagOptions } from './readTecmag';
import { tecmagKind } from './tecmagKind';

function tecmagOptions(options: ReadOptions): ReadTecmagOptions {
  const o: ReadTecmagOptions = {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  if (str(options.kernel1) !== undefined) o.kernel1 = str(options.kernel1)!;
  if (str(options.axis1) !== undefined) o.axis1 = str(options.axis1)!;
  if (str(options.axis2) !== undefined) o.axis2 = str(options.axis2)!;
  if (str(options.unit1) !== undefined) o.unit1 = str(options.unit1)!;
  if (str(options.unit2) !== undefined) o.unit2 = str(options.unit2)!;
  if (typeof options.echoTime === 'number' || typeof options.echoTime === 'string') o.echoTime = options.echoTime;
  if (str(options.delayTable) !== undefined) o.delayTable = str(options.delayTable)!;
  if (typeof options.maxBytes === 'number') o.maxBytes = options.maxBytes;
  return o;
}

export const tecmagReader: FormatReader = {
  name: 'tecmag',
  priority: 74,
  takesAxisOptions: true,
  async detect(path) {
    return (await tecmagKind(path)) !== undefined;
  },
  async read(path, options) {
    const { readTecmag } = await import('./readTecmag');
    return readTecmag(path, tecmagOptions(options));
  },
};
