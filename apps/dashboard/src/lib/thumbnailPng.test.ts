import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { thumbnailPng, viridis } from './thumbnailPng';

/** CRC-32 bit by bit (PNG's, reflected 0xEDB88320), independent of the table the encoder uses. */
function crc(bytes: Buffer): number {
  let c = ~0 >>> 0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** Decodes what thumbnailPng writes (RGB, 8 bit, filter 0 rows), checking every chunk's CRC. */
function decode(url: string) {
  const png = Buffer.from(url.replace(/^data:image\/png;base64,/, ''), 'base64');
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  const chunks: Record<string, Buffer> = {};
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    chunks[png.toString('ascii', at + 4, at + 8)] = png.subarray(at + 8, at + 8 + len);
    expect(png.readUInt32BE(at + 8 + len)).toBe(crc(png.subarray(at + 4, at + 8 + len)));
    at += 12 + len;
  }
  const width = chunks.IHDR!.readUInt32BE(0);
  const height = chunks.IHDR!.readUInt32BE(4);
  const raw = inflateSync(chunks.IDAT!);
  const pixel = (x: number, y: number) => [0, 1, 2].map((k) => raw[y * (1 + 3 * width) + 1 + 3 * x + k]);
  return { width, height, pixel, names: Object.keys(chunks) };
}

describe('thumbnailPng', () => {
  it('draws the first axis up, empty blocks white, the largest block yellow', () => {
    // 2 rows (first axis) × 3 columns: the top-right block of the map is its maximum
    const url = thumbnailPng({
      kind: 'map',
      rows: 2,
      cols: 3,
      values: [0, 50, 0, 0, 0, 100],
      axes: [
        { name: 'T1', from: 1e-3, to: 1 },
        { name: 'T2', from: 1e-4, to: 1 },
      ],
    });
    const img = decode(url);
    expect(img.names).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([img.width, img.height]).toEqual([3, 2]);
    expect(img.pixel(2, 0)).toEqual(viridis(1)); // map row 1 (top), column 2
    expect(img.pixel(1, 1)).toEqual(viridis(0.5)); // map row 0 (bottom), column 1
    expect(img.pixel(0, 0)).toEqual([255, 255, 255]);
    expect(url.length).toBeLessThan(200);
  });
});
