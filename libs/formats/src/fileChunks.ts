/**
 * A file's bytes chunk by chunk, read into one reused buffer: bounded memory whatever the size, and no fresh memory
 * per chunk (docs/BENCHMARKS.md, "Reading in chunks"). Each chunk is a view of that buffer, valid until the next one
 * is asked for; the file is closed when the loop ends, however it ends. The text reader parses these chunks and the
 * agent hashes them.
 */
import { open } from 'node:fs/promises';

export async function* fileChunks(file: string, chunkBytes: number): AsyncGenerator<Buffer, void, undefined> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
