/**
 * Writes a file so that readers never see it half-written: a temporary file beside it, then a rename
 * (atomic on one file system). The temporary file is removed when the write fails. Its name carries the process id,
 * a counter and a random part, and is created exclusively (`wx`): two writers never share one. No node:crypto for the
 * random part: loading it costs a one-shot `lapis invert` ≈ 9 ms (docs/BENCHMARKS.md, "Loading less").
 */
import { rm, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let written = 0;

export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const unique = `${process.pid}.${(++written).toString(36)}${Math.random().toString(36).slice(2, 10)}`;
  const temp = join(dirname(file), `.${basename(file)}.${unique}.tmp`);
  try {
    await writeFile(temp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
