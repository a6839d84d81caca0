/** SHA-256 over the bytes of several files in order, streamed (data files may be hundreds of MB). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function hashFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
