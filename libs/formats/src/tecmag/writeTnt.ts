/**
 * Writers of the Tecmag layouts the reader reads, for tests with known truth: a .tnt binary file (magic, TMAG, DATA
 * as complex float32, TMG2, PSEQ with grid cells, tables and parameters laid out as tecmag/pseq.ts describes, and a
 * trailing TMG4 section as TNMR 3.4 writes) and TNMR's text export of it (tecmag/tntText.ts). `echoWindows` turns
 * relaxation amplitudes (from libs/physics `simulate`) into acquisition windows of complex points.
 */
import { TMAG, TMAG_BYTES, TMG2_BYTES } from './tnt';

export interface TntCell {
  /** The cell's value as TNMR shows it ('10u', '=p90', '=RecTime'). */
  value: string;
  /** Table stepped through per dimension (slot 0–4), e.g. { 2: 'de0:2' }. */
  tables?: Partial<Record<0 | 1 | 2 | 3 | 4, string>>;
}

export interface TntParameter {
  name: string;
  /** Current value as written ('200u', '5000', '=2*[p90]'). */
  value: string;
  /** The second value TNMR stores after the name's second occurrence (default: the current value). */
  saved?: string;
  min?: string;
  max?: string;
}

export interface TntSequence {
  title: string;
  author?: string;
  cells: TntCell[];
  tables: { name: string; entries: string[]; separator?: string }[];
  parameters: TntParameter[];
}

export interface TntSpec {
  /** Default 'TNT1.008'. */
  version?: string;
  /** Points per row (dimension 1) and rows (dimension 2). */
  points: number;
  rows: number;
  /** Row-major rows × points. */
  re: ArrayLike<number>;
  im: ArrayLike<number>;
  /** Points per acquisition window. */
  acqPoints: number;
  /** Dwell time, s. */
  dwell: number;
  nucleus?: string;
  frequencyMHz?: number;
  scans?: number;
  lastDelay?: number;
  /** Unix seconds (UTC) of the start; 0 leaves it unset. */
  startTime?: number;
  /** TNMR's local date 'YYYY/M/D h:mm:ss'. */
  date?: string;
  nDigitalCenter?: number;
  /** Without a sequence the file has no PSEQ section. */
  sequence?: TntSequence;
}

class Bytes {
  private parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array): this {
    this.parts.push(b);
    this.length += b.length;
    return this;
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.push(b);
  }
  zeros(n: number): this {
    return this.push(new Uint8Array(n));
  }
  ascii(s: string): this {
    return this.push(Uint8Array.from(Buffer.from(s, 'latin1')));
  }
  /** A Pascal string: uint32 length, then the characters. */
  str(s: string): this {
    return this.u32(Buffer.byteLength(s, 'latin1')).ascii(s);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

function pseqBytes(seq: TntSequence): Uint8Array {
  const b = new Bytes()
    .ascii('1.18 BIN')
    .str(seq.title)
    .u32(4)
    .u32(1)
    .str(seq.author ?? '');
  b.u32(8).zeros(8).u32(seq.cells.length).u32(1).u32(1).zeros(12);
  for (const cell of seq.cells) {
    b.str(cell.value);
    for (const k of [0, 1, 2, 3, 4] as const) {
      const t = cell.tables?.[k];
      b.str(t ?? '').u32(t ? 1 : 0);
    }
    b.zeros(16);
  }
  b.u32(32).zeros(128).u32(seq.tables.length);
  for (const t of seq.tables)
    b.str(t.name)
      .str(t.entries.join(t.separator ?? ' '))
      .zeros(16 + 56);
  b.u32(seq.parameters.length);
  for (const p of seq.parameters) {
    b.u32(0xffffffff)
      .str(p.name)
      .u32(p.value.startsWith('=') ? 2 : 0)
      .str(p.value);
    b.u32(6)
      .str(p.min ?? '')
      .str(p.max ?? '')
      .zeros(16);
    b.str(p.name)
      .str(p.saved ?? p.value)
      .zeros(12);
  }
  return b.concat();
}

function tmagBytes(spec: TntSpec): Uint8Array {
  const t = new Uint8Array(TMAG_BYTES);
  const v = new DataView(t.buffer);
  const ints = (o: number, xs: number[]) => xs.forEach((x, i) => v.setInt32(o + 4 * i, x, true));
  ints(TMAG.npts, [spec.acqPoints, spec.rows, 1, 1]);
  ints(TMAG.actualNpts, [spec.points, spec.rows, 1, 1]);
  v.setInt32(TMAG.acqPoints, spec.acqPoints, true);
  v.setInt32(TMAG.scans, spec.scans ?? 1, true);
  v.setInt32(TMAG.actualScans, spec.scans ?? 1, true);
  v.setFloat64(TMAG.obFreq, spec.frequencyMHz ?? 0, true);
  v.setFloat64(TMAG.sw, 1 / spec.dwell, true);
  v.setFloat64(TMAG.dwell, spec.dwell, true);
  v.setFloat64(TMAG.acqTime, spec.acqPoints * spec.dwell, true);
  v.setFloat64(TMAG.lastDelay, spec.lastDelay ?? 0, true);
  v.setInt32(TMAG.nDigitalCenter, spec.nDigitalCenter ?? 0, true);
  v.setUint32(TMAG.startTime, spec.startTime ?? 0, true);
  t.set(Buffer.from((spec.date ?? '').slice(0, 31), 'latin1'), TMAG.date);
  t.set(Buffer.from((spec.nucleus ?? '').slice(0, 15), 'latin1'), TMAG.nucleus);
  return t;
}

export function writeTnt(spec: TntSpec): Uint8Array {
  const count = spec.points * spec.rows;
  if (spec.re.length !== count || spec.im.length !== count)
    throw new RangeError(`writeTnt: ${spec.rows} rows × ${spec.points} points need ${count} values per part`);
  const data = new Uint8Array(count * 8);
  const dv = new DataView(data.buffer);
  for (let k = 0; k < count; k++) {
    dv.setFloat32(8 * k, spec.re[k]!, true);
    dv.setFloat32(8 * k + 4, spec.im[k]!, true);
  }
  const b = new Bytes().ascii(spec.version ?? 'TNT1.008');
  const section = (tag: string, body: Uint8Array) => b.ascii(tag).u32(1).u32(body.length).push(body);
  section('TMAG', tmagBytes(spec));
  section('DATA', data);
  section('TMG2', new Uint8Array(TMG2_BYTES));
  if (spec.sequence) {
    b.ascii('PSEQ').u32(1).push(pseqBytes(spec.sequence));
    b.ascii('TMG4').u32(1).u32(16).zeros(16);
  }
  return b.concat();
}

/** TNMR's text export ("Data Point Listing") of what `writeTnt` would write; the tables are not in it. */
export function writeTntText(spec: TntSpec, source = 'C:\\TNMR\\data\\experiment.tnt'): string {
  const L: string[] = [
    `Data Point Listing of File ${source}`,
    `Starting Point:\t1\tEnding Point:\t${spec.points}`,
    `Starting 2D Record:\t1\tEnding Record:\t${spec.rows}`,
    'Real\tImag\tusec',
  ];
  const f32 = (x: number) => String(Math.fround(x));
  for (let r = 0; r < spec.rows; r++)
    for (let p = 0; p < spec.points; p++) {
      const k = r * spec.points + p;
      L.push(`${f32(spec.re[k]!)}\t${f32(spec.im[k]!)}\t${(p * spec.dwell * 1e6).toFixed(3)}`);
    }
  const us = (s: number) => `${Number((s * 1e6).toPrecision(12))}u`;
  L.push('', '[Info]', `Properties for "${source.replace(/.*\\/, '')}"`, '', 'File Properties:');
  L.push(
    '  Saved with 64-bit TNMR version:  3.4.31  Build 171107',
    `  TNT Format Version:  ${spec.version ?? 'TNT1.008'}`,
  );
  L.push('', 'Pulse Sequence Properties:', `  Title:  "${spec.sequence?.title ?? ''}"`);
  if (spec.sequence?.author) L.push(`  Author:  ${spec.sequence.author}`);
  L.push('', 'Data Set Properties:', `  Data Set Size:  ${spec.points} x ${spec.rows} x 1 x 1`);
  if (spec.date) L.push(`  Experiment Date:  ${spec.date}`);
  if (spec.sequence?.author) L.push(`  Experiment by User:  ${spec.sequence.author}`);
  L.push('', '[End]', '', '', '[Parameters]', '', '; Acquisition :');
  L.push(`Nucleus, \t${spec.nucleus ?? 'H1'}`, `Acq. Points, \t${spec.acqPoints}`, `Points 1D, \t${spec.points}`);
  L.push(`Dwell Time, \t${us(spec.dwell)}`, `Last Delay, \t${spec.lastDelay ?? 1}s`, `Scans 1D, \t${spec.scans ?? 1}`);
  L.push(`Points 2D, \t${spec.rows}`, `Actual Points 2D, \t${spec.rows}`, '', '; Misc. :');
  if (spec.date) L.push(`Date, \t${spec.date}`);
  L.push('', '; Sequence :');
  for (const p of spec.sequence?.parameters ?? []) L.push(`${p.name}, \t${p.value}`);
  L.push('', '[End]', '');
  return L.join('\r\n');
}

export interface EchoWindowOptions {
  /** Points per window. */
  points: number;
  /** Receiver phase, radians: each point is amplitude·e^{iφ}. */
  phase: number;
  /** Points at the end of each window left zero (the digital filter's tail). */
  zeroTail?: number;
}

/**
 * Acquisition windows of complex points from real amplitudes (rows × windows, row-major): every point of a window
 * carries its amplitude at the receiver phase, except `zeroTail` zeros at its end.
 */
export function echoWindows(
  amplitudes: ArrayLike<number>,
  rows: number,
  windows: number,
  options: EchoWindowOptions,
): { re: Float64Array; im: Float64Array; points: number } {
  const m = options.points;
  const zero = options.zeroTail ?? 0;
  const points = windows * m;
  const re = new Float64Array(rows * points);
  const im = new Float64Array(rows * points);
  const c = Math.cos(options.phase);
  const s = Math.sin(options.phase);
  for (let r = 0; r < rows; r++)
    for (let w = 0; w < windows; w++) {
      const a = amplitudes[r * windows + w]!;
      for (let p = 0; p < m - zero; p++) {
        re[r * points + w * m + p] = a * c;
        im[r * points + w * m + p] = a * s;
      }
    }
  return { re, im, points };
}
