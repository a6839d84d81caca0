/**
 * SHA-256 over the bytes of several files in order, read in 256 KiB chunks into one reused buffer: bounded memory
 * whatever the size (data files may be hundreds of MB), and no fresh copy of a data set the reader has just read
 * (docs/BENCHMARKS.md, "Reading in chunks").
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const CHUNK_BYTES = 256 * 1024;

export async function hashFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  let buffer: Buffer | undefined;
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
      buffer ??= Buffer.allocUnsafe(CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
        if (bytesRead === 0) break;
        hash.update(buffer.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
  }
  return hash.digest('hex');
}
