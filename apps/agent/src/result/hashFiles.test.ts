/**
 * hashFiles reads in 256 KiB chunks through one buffer (or, up to 8 KiB in all, hashes in TypeScript): the digest must
 * be SHA-256 of the files' bytes joined in order, whatever their sizes against the chunk (empty, one byte, either side
 * of a chunk, several chunks) and either side of the 8 KiB line.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '@lapis/physics';
import { hashFiles } from './hashFiles';

const dir = mkdtempSync(join(tmpdir(), 'lapis-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHUNK = 256 * 1024;

/** Files of `sizes` bytes of seeded random content, and node:crypto's digest of them joined in order. */
function filesOf(name: string, sizes: number[], seed: number) {
  const rng = createRng(seed);
  const reference = createHash('sha256');
  const files = sizes.map((size, i) => {
    const bytes = Uint8Array.from({ length: size }, () => rng.int(0, 255));
    const file = join(dir, `${name}${i}.bin`);
    writeFileSync(file, bytes);
    reference.update(bytes);
    return file;
  });
  return { files, digest: reference.digest('hex') };
}

describe('hashFiles', () => {
  it('hashes a few kilobytes (TypeScript) and just over 8 KiB (node:crypto) alike', async () => {
    for (const sizes of [[1200, 950], [0], [8192], [4096, 4097], [3000, 3000, 3000]]) {
      const { files, digest } = filesOf(`small${sizes.join('-')}-`, sizes, sizes.length);
      expect(await hashFiles(files), sizes.join('+')).toBe(digest);
    }
  });

  it('is SHA-256 of the bytes of every file in order, across chunk boundaries', async () => {
    const rng = createRng(20261207);
    const sizes = [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 777];
    const files = sizes.map((size, i) => {
      const bytes = Uint8Array.from({ length: size }, () => rng.int(0, 255));
      const file = join(dir, `f${i}.bin`);
      writeFileSync(file, bytes);
      return { file, bytes };
    });
    const reference = createHash('sha256');
    for (const { bytes } of files) reference.update(bytes);
    expect(await hashFiles(files.map((f) => f.file))).toBe(reference.digest('hex'));
    // The order matters: the same files the other way round give another digest.
    const reversed = createHash('sha256');
    for (const { bytes } of [...files].reverse()) reversed.update(bytes);
    expect(await hashFiles(files.map((f) => f.file).reverse())).toBe(reversed.digest('hex'));
  });
});
