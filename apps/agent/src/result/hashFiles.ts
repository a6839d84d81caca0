/**
 * SHA-256 over the bytes of several files in order. Up to 8 KiB in all (a 1D acquisition) they are read whole and
 * hashed by sha256.ts, without loading node:crypto (≈ 9 ms of a ≈ 250 ms `lapis invert`); larger files are read in
 * 256 KiB chunks into one reused buffer and hashed by node:crypto: bounded memory whatever the size, and no fresh
 * copy of a data set the reader has just read (docs/BENCHMARKS.md, "Reading in chunks", "Loading less").
 */
import { open, readFile, stat } from 'node:fs/promises';
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';
import { sha256Hex } from './sha256';

const CHUNK_BYTES = 256 * 1024;
/** Inputs up to this size are hashed in TypeScript (interpreted, ≈ 0.6 ms per KiB cold: ≈ node:crypto's load). */
const SMALL_BYTES = 8 * 1024;

export async function hashFiles(files: readonly string[]): Promise<string> {
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  if (sizes.reduce((sum, size) => sum + size, 0) <= SMALL_BYTES) {
    const parts = await Promise.all(files.map((file) => readFile(file)));
    return sha256Hex(Buffer.concat(parts));
  }
  // required, not imported: an ES import of node:crypto builds its whole namespace, webcrypto included (≈ 1 ms more)
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (const file of files) {
    const handle = await open(file, 'r');
    try {
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
