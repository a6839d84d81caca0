/**
 * Magritek Prospa binary data files (.1d, .2d, .3d, .4d), little-endian throughout:
 *
 *   bytes 0–11   three 4-character tags, each stored as a little-endian int32 so the characters appear reversed:
 *                'PROS', 'DATA', version 'V1.0' or 'V1.1' — on disk "SORPATAD1.1V", as every Spinsolve data.1d/.2d
 *                seen reads (files written by earlier Lapis versions had 'DATA' first, and are still read)
 *   then         int32 data type, int32 xDim, yDim, zDim, and (V1.1 only) qDim
 *   then         the values, x fastest (Fortran order):
 *                500 float32 real · 501 float32 complex (re, im) · 502 float64 real ·
 *                503 float32 x axis (xDim values) then real y · 504 float32 x axis then complex y
 *
 * A file shorter than its dimensions say is a FormatError before anything is allocated; a longer one is read with a
 * warning. The writer mirrors the reader, so round trips prove it.
 */
import { FormatError } from '../acquisition';

export type ProspaDataType = 500 | 501 | 502 | 503 | 504;

export interface ProspaData {
  version: 'V1.0' | 'V1.1';
  dataType: ProspaDataType;
  /** [x, y, z, q]; unused dimensions are 1. */
  dims: [number, number, number, number];
  /** The x axis stored in types 503/504. */
  x?: Float64Array;
  /** Values in file order (x fastest). */
  re: Float64Array;
  /** Imaginary parts for complex types (501, 504). */
  im?: Float64Array;
  warnings: string[];
}

/** The first two tags as Prospa writes them, and the order earlier Lapis versions wrote. */
const TAG_ORDERS = ['PROSDATA', 'DATAPROS'] as const;
const TYPES: Record<number, { complex: boolean; axis: boolean; bytes: 4 | 8 }> = {
  500: { complex: false, axis: false, bytes: 4 },
  501: { complex: true, axis: false, bytes: 4 },
  502: { complex: false, axis: false, bytes: 8 },
  503: { complex: false, axis: true, bytes: 4 },
  504: { complex: true, axis: true, bytes: 4 },
};

function tag(view: DataView, offset: number): string {
  // stored as an int32: little-endian bytes are the characters in reverse order
  let s = '';
  for (let i = 3; i >= 0; i--) s += String.fromCharCode(view.getUint8(offset + i));
  return s;
}

export interface ParseProspaOptions {
  file?: string;
  /** Refuse to decode more than this many bytes of values (default 1 GiB). */
  maxBytes?: number;
}

export function parseProspa(bytes: Uint8Array, options: ParseProspaOptions = {}): ProspaData {
  const file = options.file ?? 'Prospa file';
  if (bytes.byteLength < 28) throw new FormatError(file, `too short for a Prospa header (${bytes.byteLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const owner = tag(view, 0);
  const format = tag(view, 4);
  const version = tag(view, 8);
  if (!(TAG_ORDERS as readonly string[]).includes(owner + format)) {
    throw new FormatError(file, `not a Prospa data file (tags ${JSON.stringify(owner + format)}, expected PROS DATA)`);
  }
  if (version !== 'V1.0' && version !== 'V1.1')
    throw new FormatError(file, `unknown Prospa version ${JSON.stringify(version)}`);
  const header = version === 'V1.0' ? 28 : 32;
  if (bytes.byteLength < header) throw new FormatError(file, `truncated header (${bytes.byteLength} bytes)`);
  const dataType = view.getInt32(12, true);
  const kind = TYPES[dataType];
  if (!kind) throw new FormatError(file, `unknown data type ${dataType} (500–504 are known)`);
  const dims: [number, number, number, number] = [
    view.getInt32(16, true),
    view.getInt32(20, true),
    view.getInt32(24, true),
    version === 'V1.0' ? 1 : view.getInt32(28, true),
  ];
  if (dims.some((d) => d < 1)) throw new FormatError(file, `bad dimensions ${dims.join('×')}`);
  const count = dims[0] * dims[1] * dims[2] * dims[3];
  const perValue = (kind.complex ? 2 : 1) * kind.bytes;
  const axisBytes = kind.axis ? dims[0] * 4 : 0;
  const needed = header + axisBytes + count * perValue;
  if (bytes.byteLength < needed) {
    throw new FormatError(
      file,
      `truncated: ${dims.join('×')} type ${dataType} needs ${needed} bytes, the file has ${bytes.byteLength}`,
    );
  }
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (count * 8 * (kind.complex ? 2 : 1) > maxBytes)
    throw new FormatError(file, `${count} values exceed the memory limit ${maxBytes} bytes`);
  const warnings: string[] = [];
  if (bytes.byteLength > needed) warnings.push(`${bytes.byteLength - needed} bytes after the data ignored`);
  let off = header;
  let x: Float64Array | undefined;
  if (kind.axis) {
    x = new Float64Array(dims[0]);
    for (let i = 0; i < dims[0]; i++, off += 4) x[i] = view.getFloat32(off, true);
  }
  const re = new Float64Array(count);
  const im = kind.complex ? new Float64Array(count) : undefined;
  for (let i = 0; i < count; i++) {
    if (kind.bytes === 8) {
      re[i] = view.getFloat64(off, true);
      off += 8;
    } else {
      re[i] = view.getFloat32(off, true);
      off += 4;
      if (im) {
        im[i] = view.getFloat32(off, true);
        off += 4;
      }
    }
  }
  const out: ProspaData = { version, dataType: dataType as ProspaDataType, dims, re, warnings };
  if (x) out.x = x;
  if (im) out.im = im;
  return out;
}

export function writeProspa(data: Omit<ProspaData, 'warnings'>): Uint8Array {
  const kind = TYPES[data.dataType];
  if (!kind) throw new RangeError(`writeProspa: unknown data type ${data.dataType}`);
  const count = data.dims[0] * data.dims[1] * data.dims[2] * data.dims[3];
  if (data.re.length !== count || (kind.complex && data.im?.length !== count)) {
    throw new RangeError(`writeProspa: ${data.dims.join('×')} needs ${count} values per part`);
  }
  if (kind.axis && data.x?.length !== data.dims[0])
    throw new RangeError(`writeProspa: type ${data.dataType} needs an x axis of ${data.dims[0]}`);
  const header = data.version === 'V1.0' ? 28 : 32;
  const size = header + (kind.axis ? data.dims[0] * 4 : 0) + count * (kind.complex ? 2 : 1) * kind.bytes;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  const putTag = (offset: number, s: string) => {
    for (let i = 0; i < 4; i++) view.setUint8(offset + 3 - i, s.charCodeAt(i));
  };
  putTag(0, 'PROS');
  putTag(4, 'DATA');
  putTag(8, data.version);
  view.setInt32(12, data.dataType, true);
  for (let d = 0; d < (data.version === 'V1.0' ? 3 : 4); d++) view.setInt32(16 + 4 * d, data.dims[d]!, true);
  let off = header;
  if (kind.axis) for (let i = 0; i < data.dims[0]; i++, off += 4) view.setFloat32(off, data.x![i]!, true);
  for (let i = 0; i < count; i++) {
    if (kind.bytes === 8) {
      view.setFloat64(off, data.re[i]!, true);
      off += 8;
    } else {
      view.setFloat32(off, data.re[i]!, true);
      off += 4;
      if (kind.complex) {
        view.setFloat32(off, data.im![i]!, true);
        off += 4;
      }
    }
  }
  return out;
}
