/**
 * GIT Systems GeoSpec text export (Green Imaging Technologies' petrophysics relaxometers), parsed into its parts:
 *
 *   [GITData]              marker line, then a ';'-comment block (the test type numbers and the units of the
 *                          parameters: "Tau - ms", "MinDiffusion - cm^2/ms" …)
 *   TestType=7             key=value lines, before and inside sections
 *   [Parameters] …         sections of key=value lines: [Parameters], [Additional Results] (the vendor's own
 *                          log-mean T2/T1), [Results] (Signal, Noise, Dimensions=n1,n2), [Calibration], [Scanner],
 *                          [Sample State], [Sample] …
 *   [Data]                 a tab-separated header line (X Y Real Imaginary) and one row per point
 *
 * Line ends may be CRLF, LF or mixed (the comment block of real exports is LF inside a CRLF file).
 */
import { FormatError } from '../acquisition';
import { strictNumber } from '../lowField';

export interface GeoSpecSection {
  /** As written between the brackets, e.g. 'Additional Results'. */
  name: string;
  /** key → value, keys as written (GeoSpec's own HTML such as T<sub>2</sub> kept). */
  entries: Map<string, string>;
}

export interface GeoSpecFile {
  /** Every section but [Data], in file order; key=value lines before the first section go to one named ''. */
  sections: GeoSpecSection[];
  /** Units from the comment block: parameter name → unit text ("Tau" → "ms"). */
  unitNotes: Map<string, string>;
  /** Column names of [Data] (from its header line; empty when the table has none). */
  columns: string[];
  /** [Data] columns, each one value per row. */
  table: Float64Array[];
  warnings: string[];
}

const SECTION = /^\[([^\]]*)\]\s*$/;
/** A unit note of the comment block: ";*<tab><tab>Tau - ms". */
const UNIT_NOTE = /^;\*\s*([A-Za-z][\w ]*?)\s+-\s+(\S.*?)\s*$/;

export function parseGeoSpec(text: string, file: string): GeoSpecFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const sections: GeoSpecSection[] = [];
  const unitNotes = new Map<string, string>();
  const warnings: string[] = [];
  let current: GeoSpecSection = { name: '', entries: new Map() };
  sections.push(current);
  let inData = false;
  let sawData = false;
  let sawMarker = false;
  let columns: string[] = [];
  let width = 0;
  const rows: number[][] = [];
  const ignored = new Map<string, number>();

  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith(';')) {
      const note = line.length <= 200 ? UNIT_NOTE.exec(line) : null;
      if (note) unitNotes.set(note[1]!, note[2]!);
      continue;
    }
    const section = SECTION.exec(line);
    if (section) {
      const name = section[1]!.trim();
      inData = /^data$/i.test(name);
      if (inData) {
        if (sawData) throw new FormatError(file, `a second [Data] section at line ${n + 1}`);
        sawData = true;
        continue;
      }
      if (/^gitdata$/i.test(name)) sawMarker = true;
      current = { name, entries: new Map() };
      sections.push(current);
      continue;
    }
    if (inData) {
      const fields = splitRow(line);
      if (rows.length === 0 && columns.length === 0 && fields.some((f) => strictNumber(f) === undefined)) {
        columns = fields.map((f) => f.trim());
        width = columns.length;
        continue;
      }
      if (width === 0) width = fields.length;
      if (fields.length !== width) {
        throw new FormatError(file, `[Data] line ${n + 1} has ${fields.length} columns, expected ${width}`);
      }
      const row = new Array<number>(width);
      for (let c = 0; c < width; c++) {
        const v = strictNumber(fields[c]!);
        if (v === undefined) {
          throw new FormatError(
            file,
            `[Data] line ${n + 1}: ${JSON.stringify(fields[c]!.slice(0, 40))} is not a number`,
          );
        }
        row[c] = v;
      }
      rows.push(row);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) {
      ignored.set(current.name, (ignored.get(current.name) ?? 0) + 1);
      continue;
    }
    const key = line.slice(0, eq).trim();
    if (current.entries.has(key)) warnings.push(`[${current.name}] ${key} given twice; the last value is used`);
    current.entries.set(key, line.slice(eq + 1).trim());
  }

  if (!sawData) {
    throw new FormatError(
      file,
      sawMarker ? 'no [Data] section' : 'not a GeoSpec export (no [GITData] or [Data] section)',
    );
  }
  if (rows.length === 0) throw new FormatError(file, 'the [Data] section holds no rows');
  for (const [name, count] of ignored) {
    warnings.push(`${count} line(s) without key=value ignored in ${name === '' ? 'the preamble' : `[${name}]`}`);
  }
  const table = Array.from({ length: width }, (_, c) => Float64Array.from(rows, (r) => r[c]!));
  return { sections: sections.filter((s) => s.name !== '' || s.entries.size > 0), unitNotes, columns, table, warnings };
}

/** Tab-separated as GeoSpec writes; other white space or commas when a row has no tab. */
function splitRow(line: string): string[] {
  if (line.includes('\t')) return line.split('\t').map((f) => f.trim());
  return line.split(/[\s,;]+/).filter((f) => f !== '');
}

/** The value of `key` in the first section named `section` (any section when omitted), case-insensitive. */
export function geoSpecValue(doc: GeoSpecFile, key: string, section?: string): string | undefined {
  const k = key.toLowerCase();
  for (const s of doc.sections) {
    if (section !== undefined && s.name.toLowerCase() !== section.toLowerCase()) continue;
    for (const [name, value] of s.entries) if (name.toLowerCase() === k) return value;
  }
  return undefined;
}

/** The section called `name` (case-insensitive). */
export function geoSpecSection(doc: GeoSpecFile, name: string): GeoSpecSection | undefined {
  return doc.sections.find((s) => s.name.toLowerCase() === name.toLowerCase());
}
