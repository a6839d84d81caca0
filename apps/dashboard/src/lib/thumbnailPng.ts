/**
 * A map thumbnail as a PNG data URL, one pixel per block (viridis, empty blocks white), scaled up by the browser.
 * Fifty SVG thumbnails of rectangles made the fleet page 0.76 MB (each element once in the HTML and again in the
 * React payload); a PNG is one attribute of ~0.5 kB. Server side only (node:zlib).
 */
import { deflateSync } from 'node:zlib';
import type { Thumbnail } from './thumbnail';

const VIRIDIS: [number, number, number][] = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

/** Viridis at t ∈ [0, 1], linear between five stops. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + f * (b[k]! - a[k]!))) as [number, number, number];
}

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The map (first axis up, second across) as `data:image/png;base64,…`, `cols` × `rows` pixels, RGB. */
export function thumbnailPng(t: Extract<Thumbnail, { kind: 'map' }>): string {
  const { rows, cols, values } = t;
  const raw = Buffer.alloc(rows * (1 + 3 * cols));
  for (let y = 0; y < rows; y++) {
    const r = rows - 1 - y; // image rows run down, the first axis up
    const at = y * (1 + 3 * cols);
    raw[at] = 0; // filter: none
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c] ?? 0;
      const [red, green, blue] = v > 0 ? viridis(v / 100) : [255, 255, 255];
      raw[at + 1 + 3 * c] = red;
      raw[at + 2 + 3 * c] = green;
      raw[at + 3 + 3 * c] = blue;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(cols, 0);
  header.writeUInt32BE(rows, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
  return `data:image/png;base64,${png.toString('base64')}`;
}
