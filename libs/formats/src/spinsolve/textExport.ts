/**
 * The text exports the Spinsolve software writes beside its binary data:
 * - 2D decays (T1IRT2.dat, DT2.dat): one line per delay or gradient step, the echoes' real and imaginary parts
 *   interleaved (re₁ im₁ re₂ im₂ …), separated by spaces or commas;
 * - 1D curves (T1/T2 .dat/.csv, pgste.dat, DiffusionPlot.csv): one line per point, x then y (then the imaginary
 *   part when there is one), separated by spaces, tabs, commas or semicolons, an optional header line first;
 * - lists (gradients.par in T/m, 1D_T1IRT2/timeT1_s.dat, timeT2_s.dat): one number per line.
 * Numbers are written as the vendor's C runtime does ('1.26579e+006' included).
 */
import { FormatError } from '../acquisition';
import { strictNumber } from '../lowField';

/** Lines of numbers; one leading header line (anything not a number) is skipped. */
export function parseNumberRows(text: string, file: string): Float64Array[] {
  const rows: Float64Array[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let headerSkipped = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const fields = line.split(/[\s,;]+/).filter((f) => f !== '');
    const row = new Float64Array(fields.length);
    let bad = -1;
    for (let c = 0; c < fields.length; c++) {
      const v = strictNumber(fields[c]!);
      if (v === undefined) {
        bad = c;
        break;
      }
      row[c] = v;
    }
    if (bad >= 0) {
      if (rows.length === 0 && !headerSkipped) {
        headerSkipped = true;
        continue;
      }
      throw new FormatError(file, `line ${n + 1}: ${JSON.stringify(fields[bad]!.slice(0, 40))} is not a number`);
    }
    rows.push(row);
  }
  if (rows.length === 0) throw new FormatError(file, 'no rows of numbers');
  return rows;
}

export interface Decays2d {
  rows: number;
  /** Points (echoes) per row. */
  cols: number;
  re: Float64Array;
  /** Absent when the rows hold real values only. */
  im?: Float64Array;
}

/**
 * T1IRT2.dat / DT2.dat: `echoes` complex points per line (2·echoes numbers), or `echoes` real ones. When the file
 * does not hold `echoes` per line, its own width is used if even (complex) and a warning says so.
 */
export function parseDecays2d(text: string, file: string, echoes: number | undefined, warnings: string[]): Decays2d {
  const rows = parseNumberRows(text, file);
  const width = rows[0]!.length;
  for (let r = 1; r < rows.length; r++) {
    if (rows[r]!.length !== width) {
      throw new FormatError(file, `row ${r + 1} has ${rows[r]!.length} numbers, row 1 has ${width}`);
    }
  }
  let complex: boolean;
  if (echoes !== undefined && width === 2 * echoes) complex = true;
  else if (echoes !== undefined && width === echoes) complex = false;
  else if (width % 2 === 0) {
    complex = true;
    warnings.push(
      `${width} numbers per line ${echoes === undefined ? '' : `for nrEchoes = ${echoes} `}: read as ${width / 2} complex echoes`,
    );
  } else {
    throw new FormatError(file, `${width} numbers per line: neither nrEchoes = ${echoes} real nor complex values`);
  }
  const cols = complex ? width / 2 : width;
  const re = new Float64Array(rows.length * cols);
  const im = complex ? new Float64Array(rows.length * cols) : undefined;
  rows.forEach((row, r) => {
    for (let k = 0; k < cols; k++) {
      if (im) {
        re[r * cols + k] = row[2 * k]!;
        im[r * cols + k] = row[2 * k + 1]!;
      } else re[r * cols + k] = row[k]!;
    }
  });
  return im ? { rows: rows.length, cols, re, im } : { rows: rows.length, cols, re };
}

export interface Curve1d {
  /** The x column; absent for a single-column file. */
  x?: Float64Array;
  re: Float64Array;
  im?: Float64Array;
}

/** A 1D curve: columns x, y[, imaginary] (a single column: y only). */
export function parseCurve1d(text: string, file: string): Curve1d {
  const rows = parseNumberRows(text, file);
  const width = rows[0]!.length;
  if (rows.some((r) => r.length !== width)) throw new FormatError(file, 'rows differ in their number of columns');
  if (width > 3) throw new FormatError(file, `${width} columns: expected x, y and optionally the imaginary part`);
  const col = (c: number) => Float64Array.from(rows, (r) => r[c]!);
  if (width === 1) return { re: col(0) };
  return width === 3 ? { x: col(0), re: col(1), im: col(2) } : { x: col(0), re: col(1) };
}

/** A list of numbers, one per line (or separated by white space/commas). */
export function parseList(text: string, file: string): Float64Array {
  const rows = parseNumberRows(text, file);
  const out: number[] = [];
  for (const r of rows) for (const v of r) out.push(v);
  return Float64Array.from(out);
}
