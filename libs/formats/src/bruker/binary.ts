/**
 * Bruker raw data (`fid`, `ser`): complex points interleaved re, im, re, im …; each value int32 (DTYPA 0, scaled by
 * 2^NC to the true amplitude) or float64 (DTYPA 2, NC not applied); byte order from BYTORDA (0 little, 1 big).
 * In a multi-row `ser` every row starts on a 1024-byte boundary: a row of TD values takes ceil(TD·size/1024)·1024
 * bytes and the tail of each row is padding, not data (TD not a multiple of 256 for int32, 128 for float64).
 */
import type { ComplexRows } from '@lapis/spectra';
import { FormatError } from '../acquisition';

export type BrukerDataType = 'int32' | 'float64';

export interface BrukerBinaryLayout {
  /** Values per row as TopSpin counts them (TD: real + imaginary). */
  td: number;
  rows: number;
  dtype: BrukerDataType;
  littleEndian: boolean;
  /** NC_proc-style exponent: int32 values are multiplied by 2^nc (default 0). */
  nc?: number;
}

export type { ComplexRows };

export interface ReadBinaryOptions {
  /** Name used in errors. */
  file?: string;
  /** Refuse to allocate more than this many bytes for the decoded data (default 2 GiB). */
  maxBytes?: number;
  /** Return only the complete rows the file holds instead of throwing when it is short (default false). */
  allowPartial?: boolean;
}

export function bytesPerValue(dtype: BrukerDataType): number {
  return dtype === 'int32' ? 4 : 8;
}

/** Bytes from the start of one row to the start of the next. */
export function rowStride(td: number, dtype: BrukerDataType): number {
  return Math.ceil((td * bytesPerValue(dtype)) / 1024) * 1024;
}

/** Size TopSpin gives a complete data file of this layout. */
export function expectedDataBytes(layout: Pick<BrukerBinaryLayout, 'td' | 'rows' | 'dtype'>): number {
  if (layout.rows <= 1) return layout.td * bytesPerValue(layout.dtype);
  return layout.rows * rowStride(layout.td, layout.dtype);
}

export function readBrukerBinary(
  bytes: Uint8Array,
  layout: BrukerBinaryLayout,
  options: ReadBinaryOptions = {},
): ComplexRows {
  const file = options.file ?? 'Bruker data';
  const { td, dtype, littleEndian } = layout;
  let rows = layout.rows;
  if (!Number.isSafeInteger(td) || td < 2) throw new FormatError(file, `TD must be an integer ≥ 2, got ${td}`);
  if (td % 2 !== 0) throw new FormatError(file, `TD ${td} is odd: complex data need real and imaginary values`);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new FormatError(file, `number of rows must be ≥ 1, got ${rows}`);
  const size = bytesPerValue(dtype);
  const stride = rows > 1 ? rowStride(td, dtype) : td * size;
  const rowBytes = td * size;
  const needed = (rows - 1) * stride + rowBytes;
  const maxBytes = options.maxBytes ?? 2 ** 31;
  if (bytes.byteLength < needed) {
    const complete = bytes.byteLength < rowBytes ? 0 : Math.floor((bytes.byteLength - rowBytes) / stride) + 1;
    if (!options.allowPartial || complete === 0) {
      throw new FormatError(
        file,
        `truncated: ${rows} rows of TD ${td} ${dtype} need ${needed} bytes, the file has ${bytes.byteLength}`,
      );
    }
    rows = complete;
  }
  // Two Float64 outputs of rows·td/2 values each: rows·td·8 bytes.
  const outBytes = rows * td * 8;
  if (outBytes > maxBytes) {
    throw new FormatError(
      file,
      `declared size ${rows}×${td} needs ${outBytes} bytes of memory, above the limit ${maxBytes}`,
    );
  }
  const points = td / 2;
  const re = new Float64Array(rows * points);
  const im = new Float64Array(rows * points);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const scale = dtype === 'int32' ? 2 ** (layout.nc ?? 0) : 1;
  for (let r = 0; r < rows; r++) {
    let off = r * stride;
    const base = r * points;
    if (dtype === 'int32') {
      for (let k = 0; k < points; k++, off += 8) {
        re[base + k] = view.getInt32(off, littleEndian) * scale;
        im[base + k] = view.getInt32(off + 4, littleEndian) * scale;
      }
    } else {
      for (let k = 0; k < points; k++, off += 16) {
        re[base + k] = view.getFloat64(off, littleEndian);
        im[base + k] = view.getFloat64(off + 8, littleEndian);
      }
    }
  }
  return { rows, points, re, im };
}

/**
 * Encodes rows the way TopSpin stores them (rows padded to 1024 bytes when there is more than one). int32 values
 * are divided by 2^nc and rounded; a value that does not fit in int32 is a RangeError (choose a larger nc).
 */
export function encodeBrukerBinary(data: ComplexRows, layout: Omit<BrukerBinaryLayout, 'td' | 'rows'>): Uint8Array {
  const { rows, points, re, im } = data;
  const td = points * 2;
  if (re.length !== rows * points || im.length !== rows * points) {
    throw new RangeError(`encodeBrukerBinary: ${rows}×${points} needs ${rows * points} values per part`);
  }
  const size = bytesPerValue(layout.dtype);
  const stride = rows > 1 ? rowStride(td, layout.dtype) : td * size;
  const out = new Uint8Array(rows > 1 ? rows * stride : td * size);
  const view = new DataView(out.buffer);
  const scale = layout.dtype === 'int32' ? 2 ** -(layout.nc ?? 0) : 1;
  const le = layout.littleEndian;
  for (let r = 0; r < rows; r++) {
    let off = r * stride;
    for (let k = 0; k < points; k++, off += 2 * size) {
      const a = re[r * points + k]!;
      const b = im[r * points + k]!;
      if (layout.dtype === 'int32') {
        const ia = Math.round(a * scale);
        const ib = Math.round(b * scale);
        if (Math.abs(ia) > 2147483647 || Math.abs(ib) > 2147483647) {
          throw new RangeError(`encodeBrukerBinary: value ${a} does not fit in int32 with NC ${layout.nc ?? 0}`);
        }
        view.setInt32(off, ia, le);
        view.setInt32(off + 4, ib, le);
      } else {
        view.setFloat64(off, a, le);
        view.setFloat64(off + 8, b, le);
      }
    }
  }
  return out;
}
