/** TopSpin's processed data file (1r, 2rr) in file order: int32 × 2^NC_proc, or float64 for DTYPP 2; BYTORDP. */
import { readFile } from 'node:fs/promises';
import type { BrukerParameters } from '../parameters';

export async function readProcessedValues(path: string, procs: BrukerParameters): Promise<Float64Array> {
  const little = (procs.number('BYTORDP') ?? 0) === 0;
  const float = procs.number('DTYPP') === 2;
  const scale = float ? 1 : 2 ** (procs.number('NC_proc') ?? 0);
  const bytes = await readFile(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: bytes.length / (float ? 8 : 4) }, (_, i) =>
    float ? view.getFloat64(8 * i, little) : view.getInt32(4 * i, little) * scale,
  );
}
