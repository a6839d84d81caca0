/**
 * SHA-256 over the bytes of several files in order. A file up to 32 MiB (every usual data set) is read in one call,
 * a fraction of a stream's setup and chunking; a larger one is streamed (data files may be hundreds of MB).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';

const ONE_READ_BYTES = 32 * 1024 * 1024;

export async function hashFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    if ((await stat(file)).size <= ONE_READ_BYTES) hash.update(await readFile(file));
    else for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
