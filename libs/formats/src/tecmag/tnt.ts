/**
 * Tecmag TNT binary files (.tnt, written by TNMR on Apollo/Redstone consoles), little-endian throughout:
 *
 *   bytes 0–7   magic 'TNT1.00x' (x a digit; TNT1.008 is current TNMR 3.4)
 *   then        tagged sections, each: 4-character tag, uint32 flag, uint32 byte length, then that many bytes —
 *     TMAG  1024 bytes of acquisition parameters (offsets below): int32 npts[4] @0, actual_npts[4] @16 (the points
 *           acquired per dimension: what DATA holds), acq_points @32 (points per acquisition window), scans @52,
 *           actual_scans @56; float64 magnet_field @76, ob_freq[4] (MHz) @84, sw[4] (Hz) @240, dwell[4] (s) @272,
 *           filter @304, acq_time @320, last_delay @328; int32 nDigitalCenter @348; int16 receiver_gain @370;
 *           float64 set/actual temperature @440/448; uint32 start/finish time (Unix seconds, UTC) @852/856;
 *           text date 'YYYY/M/D h:mm:ss' (local time) @864 (32 bytes), nucleus @896 (16), sequence @960 (32)
 *     DATA  complex float32 (re, im) pairs, dimension 1 fastest: actual_npts[0] × [1] × [2] × [3] points
 *     TMG2  2048 bytes of display and processing settings (not needed here)
 *     PSEQ  the pulse sequence (tecmag/pseq.ts); it carries no length field — its bytes run on to the file's end as
 *           far as this reader is concerned (later sections such as TMG4 are not needed)
 *
 * Every size is checked against the bytes present before anything is allocated from it. The writer mirrors the
 * layout (tecmag/writeTnt.ts), so round trips prove it.
 */
import { FormatError } from '../acquisition';
import { parsePseq, type Pseq } from './pseq';

export const TNT_MAGIC = /^TNT1\.\d{3}$/;
export const TMAG_BYTES = 1024;
export const TMG2_BYTES = 2048;

/** Byte offsets inside TMAG (see the header comment). */
export const TMAG = {
  npts: 0,
  actualNpts: 16,
  acqPoints: 32,
  scans: 52,
  actualScans: 56,
  magnetField: 76,
  obFreq: 84,
  sw: 240,
  dwell: 272,
  filter: 304,
  acqTime: 320,
  lastDelay: 328,
  nDigitalCenter: 348,
  receiverGain: 370,
  setTemperature: 440,
  actualTemperature: 448,
  startTime: 852,
  finishTime: 856,
  date: 864,
  nucleus: 896,
  sequence: 960,
} as const;

export interface TntTmag {
  npts: [number, number, number, number];
  actualNpts: [number, number, number, number];
  acqPoints: number;
  scans: number;
  actualScans: number;
  magnetField: number;
  /** Observe frequency of each channel, MHz. */
  obFreq: number[];
  sw: number[];
  /** Dwell time per dimension, s. */
  dwell: number[];
  filter: number;
  acqTime: number;
  lastDelay: number;
  nDigitalCenter: number;
  receiverGain: number;
  setTemperature: number;
  actualTemperature: number;
  /** Unix seconds (UTC); 0 when unset. */
  startTime: number;
  finishTime: number;
  date: string;
  nucleus: string;
  sequence: string;
}

export interface TntFile {
  /** e.g. 'TNT1.008'. */
  version: string;
  sections: { tag: string; offset: number; length: number }[];
  tmag: TntTmag;
  /** Points per dimension as stored, [1] × [2] × [3] rows of [0] points. */
  dims: [number, number, number, number];
  /** Row-major (dimension 1 fastest), float32 values widened. */
  re: Float64Array;
  im: Float64Array;
  pseq?: Pseq;
  warnings: string[];
}

export interface ParseTntOptions {
  file?: string;
  /** Refuse to decode more than this many bytes of data (default 1 GiB). */
  maxBytes?: number;
}

function cString(bytes: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && bytes[end] !== 0) end++;
  return Buffer.from(bytes.buffer, bytes.byteOffset + offset, end - offset)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '')
    .trim();
}

function readTmag(bytes: Uint8Array, offset: number): TntTmag {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, TMAG_BYTES);
  const i32 = (o: number) => v.getInt32(o, true);
  const f64 = (o: number) => v.getFloat64(o, true);
  const ints = (o: number) => [i32(o), i32(o + 4), i32(o + 8), i32(o + 12)] as [number, number, number, number];
  const doubles = (o: number) => [f64(o), f64(o + 8), f64(o + 16), f64(o + 24)];
  return {
    npts: ints(TMAG.npts),
    actualNpts: ints(TMAG.actualNpts),
    acqPoints: i32(TMAG.acqPoints),
    scans: i32(TMAG.scans),
    actualScans: i32(TMAG.actualScans),
    magnetField: f64(TMAG.magnetField),
    obFreq: doubles(TMAG.obFreq),
    sw: doubles(TMAG.sw),
    dwell: doubles(TMAG.dwell),
    filter: f64(TMAG.filter),
    acqTime: f64(TMAG.acqTime),
    lastDelay: f64(TMAG.lastDelay),
    nDigitalCenter: i32(TMAG.nDigitalCenter),
    receiverGain: v.getInt16(TMAG.receiverGain, true),
    setTemperature: f64(TMAG.setTemperature),
    actualTemperature: f64(TMAG.actualTemperature),
    startTime: v.getUint32(TMAG.startTime, true),
    finishTime: v.getUint32(TMAG.finishTime, true),
    date: cString(bytes, offset + TMAG.date, 32),
    nucleus: cString(bytes, offset + TMAG.nucleus, 16),
    sequence: cString(bytes, offset + TMAG.sequence, 32),
  };
}

/** True when `head` (the first 8 bytes or more) starts with a TNT magic number. */
export function isTntMagic(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  return TNT_MAGIC.test(Buffer.from(head.buffer, head.byteOffset, 8).toString('latin1'));
}

export function parseTnt(bytes: Uint8Array, options: ParseTntOptions = {}): TntFile {
  const file = options.file ?? 'TNT file';
  if (bytes.length < 8 || !isTntMagic(bytes)) {
    const shown = Buffer.from(bytes.subarray(0, 8))
      .toString('latin1')
      .replace(/[^\x20-\x7e]/g, '?');
    throw new FormatError(file, `not a Tecmag TNT file (magic ${JSON.stringify(shown)}, expected TNT1.00x)`);
  }
  const version = Buffer.from(bytes.subarray(0, 8)).toString('latin1');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const warnings: string[] = [];
  const sections: TntFile['sections'] = [];
  let tmagAt: number | undefined;
  let data: { offset: number; length: number } | undefined;
  let pseqAt: number | undefined;
  let off = 8;
  while (off + 12 <= bytes.length) {
    const tag = Buffer.from(bytes.subarray(off, off + 4)).toString('latin1');
    if (!/^[A-Z0-9]{4}$/.test(tag)) {
      throw new FormatError(
        file,
        `no section tag at byte ${off} (found ${JSON.stringify(tag.replace(/[^\x20-\x7e]/g, '?'))})`,
      );
    }
    if (tag === 'PSEQ') {
      // no length field: the sequence runs on from here
      pseqAt = off + 8;
      sections.push({ tag, offset: pseqAt, length: bytes.length - pseqAt });
      break;
    }
    const length = view.getUint32(off + 8, true);
    const start = off + 12;
    if (start + length > bytes.length) {
      throw new FormatError(
        file,
        `truncated: section ${tag} at byte ${off} declares ${length} bytes, ${bytes.length - start} remain`,
      );
    }
    sections.push({ tag, offset: start, length });
    if (tag === 'TMAG' && tmagAt === undefined) {
      if (length < TMAG_BYTES) throw new FormatError(file, `TMAG section of ${length} bytes (expected ${TMAG_BYTES})`);
      tmagAt = start;
    } else if (tag === 'DATA' && data === undefined) data = { offset: start, length };
    off = start + length;
  }
  if (pseqAt === undefined && off < bytes.length)
    warnings.push(`${bytes.length - off} bytes after the last section ignored`);
  if (tmagAt === undefined) throw new FormatError(file, 'no TMAG section (acquisition parameters)');
  if (!data) throw new FormatError(file, 'no DATA section');
  const tmag = readTmag(bytes, tmagAt);
  const dims = tmag.actualNpts.map((d) => d) as [number, number, number, number];
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new FormatError(file, `bad point counts ${dims.join('×')} in TMAG`);
  }
  for (let d = 0; d < 4; d++) if (dims[d] === 0) dims[d] = 1; // unused dimensions may be written as 0
  const count = dims[0] * dims[1] * dims[2] * dims[3];
  const needed = count * 8;
  if (data.length < needed) {
    throw new FormatError(
      file,
      `truncated: TMAG says ${dims.join('×')} points (${needed} bytes), DATA holds ${data.length} bytes`,
    );
  }
  const maxBytes = options.maxBytes ?? 2 ** 30;
  if (count * 16 > maxBytes) throw new FormatError(file, `${count} points exceed the memory limit ${maxBytes} bytes`);
  if (data.length > needed)
    warnings.push(`DATA holds ${data.length - needed} bytes more than TMAG's ${dims.join('×')} points: ignored`);
  const re = new Float64Array(count);
  const im = new Float64Array(count);
  for (let k = 0, p = data.offset; k < count; k++, p += 8) {
    re[k] = view.getFloat32(p, true);
    im[k] = view.getFloat32(p + 4, true);
  }
  const out: TntFile = { version, sections, tmag, dims, re, im, warnings };
  if (pseqAt !== undefined) out.pseq = parsePseq(bytes.subarray(pseqAt));
  return out;
}
