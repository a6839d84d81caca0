/**
 * TNMR's text export of a .tnt file ("Data Point Listing"), plain text with CRLF line ends:
 *
 *   Data Point Listing of File C:\…\name.tnt
 *   Starting Point:<TAB>1<TAB>Ending Point:<TAB>40000          the points of each record (dimension 1) listed
 *   Starting 2D Record:<TAB>1<TAB>Ending Record:<TAB>16         the records (dimension 2) listed
 *   Real<TAB>Imag<TAB>usec                                      column titles; the last is the time in the record
 *   29322.000<TAB>-526942.000<TAB>0.000                         one line per point, records one after another
 *   …
 *   [Info]        'Key:  value' lines: TNMR version, sequence title, experiment date and user …
 *   [Parameters]  '; Group :' headings and 'Name, <TAB>value' lines: Acq. Points, Points 1D, Dwell Time, Date …
 *                 and, under '; Sequence :', the sequence's own parameters (Echo_Time, Nechoes …)
 *   [End]
 *
 * The export carries no tables, so a delay list stepped in the second dimension is not in it (the reader then asks
 * for the delays). Every line is bounded by the file, which the caller has size-checked.
 */
import { FormatError } from '../acquisition';

export const TNT_TEXT_MARK = 'Data Point Listing of File';

export interface TntText {
  /** The .tnt file the listing was made from, as TNMR wrote its path. */
  source: string;
  /** Points per record and records listed. */
  points: number;
  records: number;
  /** Row-major records × points. */
  re: Float64Array;
  im: Float64Array;
  /** Time within the record of the first two points, in the unit of `xUnit` (a fallback for the dwell time). */
  x: [number, number] | undefined;
  xUnit: string | undefined;
  /** [Info] 'Key: value' pairs, first occurrence. */
  info: Map<string, string>;
  /** [Parameters] 'Name, value' pairs, first occurrence. */
  parameters: Map<string, string>;
  warnings: string[];
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseTntText(text: string, file = 'TNMR text export'): TntText {
  const lines = text.replace(/^(?:\uFEFF|\u00ef\u00bb\u00bf)/, '').split(/\r?\n/);
  const first = lines[0] ?? '';
  if (!first.startsWith(TNT_TEXT_MARK)) {
    throw new FormatError(file, `not a TNMR data point listing (first line should start '${TNT_TEXT_MARK}')`);
  }
  // lines longer than any TNMR writes are not matched at all (the patterns below are kept off huge inputs)
  const range = (line: string | undefined, what: string): [number, number] => {
    const m = (line ?? '').length <= 200 ? /^[^:]*:\s*(\d+)\s+[^:]*:\s*(\d+)\s*$/.exec(line!) : null;
    if (!m)
      throw new FormatError(
        file,
        `line ${what === 'points' ? 2 : 3}: expected the ${what} listed (Starting …: a Ending …: b)`,
      );
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (!(a >= 1 && b >= a)) throw new FormatError(file, `bad range of ${what} ${a}–${b}`);
    return [a, b];
  };
  const [p0, p1] = range(lines[1], 'points');
  const [r0, r1] = range(lines[2], 'records');
  const points = p1 - p0 + 1;
  const records = r1 - r0 + 1;
  const titles = (lines[3] ?? '').split('\t').map((t) => t.trim());
  const reCol = titles.findIndex((t) => /^real$/i.test(t));
  const imCol = titles.findIndex((t) => /^imag/i.test(t));
  if (reCol < 0) throw new FormatError(file, `line 4: no 'Real' column (found ${JSON.stringify(lines[3] ?? '')})`);
  const xCol = titles.length - 1 > Math.max(reCol, imCol) ? titles.length - 1 : -1;
  const count = points * records;
  // a line per point: the listing cannot hold more points than it has lines
  if (count > lines.length) {
    throw new FormatError(
      file,
      `truncated: ${points} points × ${records} records announced, ${lines.length} lines in the file`,
    );
  }
  const warnings: string[] = [];
  if (imCol < 0) warnings.push("no 'Imag' column: the listed values are taken as the signal, unphased");
  const re = new Float64Array(count);
  const im = new Float64Array(count);
  const x: number[] = [];
  let k = 0;
  let i = 4;
  for (; i < lines.length && k < count; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line.startsWith('[')) break;
    const fields = line.split(/\s+/);
    const num = (c: number) => {
      const f = fields[c];
      if (f === undefined || !NUMBER.test(f))
        throw new FormatError(file, `line ${i + 1}: expected numbers, found ${JSON.stringify(line.slice(0, 60))}`);
      return Number(f);
    };
    re[k] = num(reCol);
    im[k] = imCol >= 0 ? num(imCol) : 0;
    if (xCol >= 0 && x.length < 2) x.push(num(xCol));
    k++;
  }
  if (k < count)
    throw new FormatError(file, `truncated: ${k} points listed, the header announces ${points} × ${records}`);
  const info = new Map<string, string>();
  const parameters = new Map<string, string>();
  let section = '';
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 1000) continue;
    const head = /^\[(\w+)\]\s*$/.exec(line.trim());
    if (head) {
      section = head[1]!.toLowerCase();
      continue;
    }
    if (section === 'info') {
      const m = /^\s*([^:]+?):\s+(.*?)\s*$/.exec(line);
      if (m && !info.has(m[1]!)) info.set(m[1]!, m[2]!.replace(/^"(.*)"$/, '$1'));
    } else if (section === 'parameters') {
      const m = /^([^;,][^,]*?),\s*\t?(.*?)\s*$/.exec(line);
      if (m && !parameters.has(m[1]!.trim())) parameters.set(m[1]!.trim(), m[2]!);
    }
  }
  return {
    source: first.slice(TNT_TEXT_MARK.length).trim(),
    points,
    records,
    re,
    im,
    x: x.length === 2 ? [x[0]!, x[1]!] : undefined,
    xUnit: xCol >= 0 ? titles[xCol] : undefined,
    info,
    parameters,
    warnings,
  };
}
