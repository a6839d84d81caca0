/**
 * SHA-256 over the bytes of several files in order. Up to 8 KiB in all (a 1D acquisition) they are read whole and
 * hashed by sha256.ts, without loading node:crypto (≈ 9 ms of a ≈ 250 ms `lapis invert`); larger files are read in
 * 256 KiB chunks through one reused buffer (@lapis/formats' fileChunks, as the text reader reads them) and hashed by
 * node:crypto: bounded memory whatever the size, and no fresh copy of a data set the reader has just read
 * (docs/BENCHMARKS.md, "Reading in chunks", "Loading less").
 */
import { readFile, stat } from 'node:fs/promises';
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';
import { fileChunks } from '@lapis/formats/fileChunks';
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
  for (const file of files) for await (const chunk of fileChunks(file, CHUNK_BYTES)) hash.update(chunk);
  return hash.digest('hex');
}
