/**
 * The PSEQ section of a Tecmag .tnt file: TNMR's pulse sequence, saved with the data. Little-endian; every text is a
 * "Pascal" string (uint32 byte count, then the characters, no terminator). What Lapis reads of it, as found in
 * TNT1.008 files with sequence format '1.18 BIN' (the public examples under .refs/nmrinversions):
 *
 *   bytes 0–7     the sequence format, e.g. '1.18 BIN'; then the sequence title (a string), 8 bytes, the author
 *   the grid      one cell per event and row: the cell's value (a string: '10u', '=p90', '=RecTime'), then five
 *                 slots, one per dimension 0D–4D, each a string naming the table the cell steps through in that
 *                 dimension ('' for none) and a uint32; a delay list stepped in the 2nd dimension sits in slot 2
 *   the tables    name, then its entries in one string ('0.090m\r\n0.205m…', '0 2 1 3'), name and entries adjacent
 *   parameters    uint32 flag, name, uint32 (0 literal, 2 formula), current value, … and later the name again with a
 *                 second value; the current value is the one 4 bytes after the name's first occurrence (it is the
 *                 one TMAG and TNMR's text export agree with)
 *
 * The layout of the binary fields between these strings varies with TNMR's version, so the section is not walked
 * field by field: every Pascal string is found by a linear scan (a uint32 length followed by that many text bytes)
 * and the structures above are recognised from the strings and the fixed gaps between them. The scan is O(bytes),
 * allocates nothing from a declared size, and a section it cannot make sense of gives empty tables, never an error.
 */

export interface PseqTable {
  name: string;
  /** The entries as written ('0.090m', '3'). */
  entries: string[];
  /** Dimensions (1 = acquisition, 2 = the second dimension …) whose grid cells step through the table. */
  dims: number[];
  /** Values of the grid cells that use the table ('=RecTime'). */
  cells: string[];
}

export interface Pseq {
  /** e.g. '1.18 BIN'. */
  format?: string;
  title?: string;
  author?: string;
  /** Tables named by a grid cell (with the dimensions they step in), then delay-like tables no cell names. */
  tables: PseqTable[];
  /** Parameter name → current value as written ('200u', '=2*[p90]'). */
  parameters: Map<string, string>;
}

interface Token {
  start: number;
  end: number;
  text: string;
}

/** Longest string taken as text; table contents of a few thousand delays stay far below. */
const MAX_STRING = 1 << 20;
/** Table names are identifiers ('de0:2', 'ph1', 'vd_list'). */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_:.-]{0,63}$/;

const isText = (b: number) => (b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13;

export function parsePseq(bytes: Uint8Array): Pseq {
  const n = bytes.length;
  const u32 = (p: number) => bytes[p]! + bytes[p + 1]! * 0x100 + bytes[p + 2]! * 0x10000 + bytes[p + 3]! * 0x1000000;
  const latin1 = (from: number, to: number) =>
    Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('latin1');
  // run[i]: how many text bytes start at i, so a candidate string is checked in O(1)
  const run = new Int32Array(n + 1);
  for (let i = n - 1; i >= 0; i--) run[i] = isText(bytes[i]!) ? run[i + 1]! + 1 : 0;
  const stringAt = (p: number, max: number): Token | undefined => {
    if (p + 4 > n) return undefined;
    const len = u32(p);
    if (len < 1 || len > max || p + 4 + len > n || run[p + 4]! < len) return undefined;
    return { start: p, end: p + 4 + len, text: latin1(p + 4, p + 4 + len) };
  };

  // Every offset where a string could start, overlaps kept: skipping over a false one (a flag 1 followed by a text
  // byte) would hide a real string behind it. A length field holds a non-text byte, so at most 4 candidates share a
  // run of text and the decoded text stays O(bytes).
  const tokens: Token[] = [];
  for (let i = 0; i + 4 <= n; i++) {
    const t = stringAt(i, MAX_STRING);
    if (t) tokens.push(t);
  }
  const byStart = new Map<number, Token>();
  for (const t of tokens) byStart.set(t.start, t);

  const out: Pseq = { tables: [], parameters: new Map() };
  if (n >= 8 && run[0]! >= 8) out.format = latin1(0, 8).trim();
  const title = byStart.get(8);
  if (title) {
    out.title = title.text;
    const author = byStart.get(title.end + 8);
    if (author) out.author = author.text;
  }

  // Grid cells: a value string, five (string, uint32 flag) slots — flag 1 after a table name, 0 after an empty
  // slot — and 16 zero bytes; a named slot says which table the cell steps through in that dimension.
  const uses = new Map<string, { dims: Set<number>; cells: string[] }>();
  const zeros = (p: number, count: number) => {
    for (let q = p; q < p + count; q++) if (bytes[q] !== 0) return false;
    return true;
  };
  for (const t of tokens) {
    let p = t.end;
    const slots: string[] = [];
    for (let k = 0; k < 5; k++) {
      if (p + 8 > n) break;
      const len = u32(p);
      if (len === 0) {
        if (u32(p + 4) !== 0) break;
        slots.push('');
        p += 8;
        continue;
      }
      const s = stringAt(p, 64);
      if (!s || s.end + 4 > n || u32(s.end) !== 1) break;
      slots.push(s.text);
      p = s.end + 4;
    }
    if (slots.length !== 5 || p + 16 > n || !zeros(p, 16) || slots.every((s) => s === '')) continue;
    slots.forEach((name, dim) => {
      if (!name || !TABLE_NAME.test(name)) return;
      const u = uses.get(name) ?? { dims: new Set<number>(), cells: [] };
      u.dims.add(dim);
      if (u.cells.length < 16) u.cells.push(t.text);
      uses.set(name, u);
    });
  }

  // Tables: the name with its entries right after it (the last such pair: the tables follow the grid).
  const definitions = new Map<string, string>();
  const unnamed: { name: string; entries: string[] }[] = [];
  for (const t of tokens) {
    const next = byStart.get(t.end);
    if (next && TABLE_NAME.test(t.text)) {
      if (uses.has(t.text)) definitions.set(t.text, next.text);
      else {
        // No cell names it (a layout this scan does not know): kept if it reads as a list of times with units.
        const entries = next.text.split(/\s+/).filter((e) => e.length > 0);
        if (
          entries.length >= 2 &&
          entries.every((e) => /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[muns]$/.test(e))
        )
          unnamed.push({ name: t.text, entries });
      }
    }
    // Parameters: the current value starts 4 bytes after the name's first occurrence.
    if (!out.parameters.has(t.text) && /^[A-Za-z_]/.test(t.text)) {
      const value = byStart.get(t.end + 4);
      if (value) out.parameters.set(t.text, value.text);
    }
  }
  for (const [name, u] of uses) {
    const text = definitions.get(name);
    if (text === undefined) continue;
    out.tables.push({
      name,
      entries: text.split(/\s+/).filter((e) => e.length > 0),
      dims: [...u.dims].sort((a, b) => a - b),
      cells: u.cells,
    });
  }
  const seen = new Set(out.tables.map((t) => t.name));
  for (const u of unnamed) {
    if (seen.has(u.name)) continue;
    seen.add(u.name);
    out.tables.push({ name: u.name, entries: u.entries, dims: [], cells: [] });
  }
  return out;
}
