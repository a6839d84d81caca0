/**
 * TopSpin's diffusion settings file `diff.xml`, beside acqus in the experiment folder (in the reported `diffSte`
 * series it is the only place δ and Δ are written): a tolerant reader, and a writer for synthetic data.
 *
 * Bruker publishes no schema and no real diff.xml was found in public data. What is known comes from public code
 * that reads real files:
 * - LeoWGordon/leonmr (leonmr.py, `diff_params_import`): `<delta>` little delta δ and `<DELTA>` big delta Δ, both in
 *   ms (case tells them apart); `<exDiffCoff>` an expected diffusion coefficient, m²/s; `<xValues><List>` holding
 *   whitespace-separated numbers, four per gradient step, the 2nd the gradient in G/cm and (in its later version)
 *   the 4th the b-value in s/m². What the 1st and 3rd hold is not established (another public script calls the 3rd
 *   "q values"), so they are not read. Later copies of that reader (repository not identified) also take
 *   `<X g="…">` elements, g in G/cm, instead of the list.
 * - Flackermann/eNMRpy (Measurement/Pavel.py): `DELTA` and `delta` as children of the root, in ms.
 * Everything else here is a fallback never seen in a real file: `littleDelta`/`bigDelta`/`Delta` elements, a `unit`
 * attribute or suffix on the times, `gradients` lists or `<gradient>` elements (G/cm), `bValues` lists (s/m²), a `b`
 * attribute on `<X>`. The root element's name is unknown and not checked.
 * What cannot be used is reported as warnings, never an error: the pulse-program parameters are used instead.
 */
import { parseUnit } from '@lapis/contracts/units';

/** What diff.xml says, in SI units. */
export interface DiffXmlSettings {
  /** Gradient duration δ, s. */
  delta?: number;
  /** Diffusion time Δ, s. */
  bigDelta?: number;
  /** Gradient amplitudes, T/m. */
  gradients?: Float64Array;
  /** TopSpin's b-values, s/m² (its answer: used in preference to Lapis' own, and checked against them). */
  bValues?: Float64Array;
  /** TopSpin's expected diffusion coefficient (exDiffCoff), m²/s; informational. */
  expectedD?: number;
}

/** Larger than this is not a settings file (real ones are a few kB). */
const MAX_CHARS = 4 * 1024 * 1024;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const G_PER_CM = 0.01; // T/m

/** Text without `<!-- … -->` comments, in one linear pass. */
function stripComments(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = text.indexOf('<!--', at);
    if (open < 0) return out + text.slice(at);
    out += text.slice(at, open);
    const close = text.indexOf('-->', open + 4);
    if (close < 0) return out;
    at = close + 3;
  }
}

interface Element {
  attributes: Record<string, string>;
  text: string;
}

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = (m[2] ?? m[3] ?? '').trim();
  return out;
}

/** Every `<name …>text</name>` (text without child elements) and `<name …/>`, case as written. */
function elements(text: string, name: string): Element[] {
  const out: Element[] = [];
  const re = new RegExp(`<${name}((?:\\s[^<>]*)?)(?:/>|>([^<]*)</${name}\\s*>)`, 'g');
  for (const m of text.matchAll(re)) {
    const tag = m[1] ?? '';
    out.push({ attributes: attributesOf(tag.endsWith('/') ? tag.slice(0, -1) : tag), text: (m[2] ?? '').trim() });
  }
  return out;
}

function first(text: string, names: readonly string[]): Element | undefined {
  for (const name of names) {
    const [e] = elements(text, name);
    if (e) return e;
  }
  return undefined;
}

function numbers(text: string): number[] | undefined {
  const tokens = text.split(/[\s,;]+/).filter((t) => t !== '');
  if (tokens.length === 0 || !tokens.every((t) => t.length <= 40 && NUMBER.test(t))) return undefined;
  return tokens.map(Number);
}

export function parseDiffXml(text: string, file: string, warnings: string[]): DiffXmlSettings | undefined {
  if (text.length > MAX_CHARS) {
    warnings.push(`${file}: ${text.length} characters, too large for diffusion settings: ignored`);
    return undefined;
  }
  if (text.includes('\u0000')) {
    warnings.push(`${file}: binary content, not diffusion settings: ignored`);
    return undefined;
  }
  const xml = stripComments(text);
  const out: DiffXmlSettings = {};

  // δ and Δ: ms unless a unit attribute or suffix says otherwise
  const time = (names: readonly string[], what: string): number | undefined => {
    const e = first(xml, names);
    if (!e) return undefined;
    const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(\S*)$/.exec(e.text);
    const unitText = e.attributes.unit ?? e.attributes.units ?? m?.[2] ?? '';
    const unit = unitText === '' ? undefined : parseUnit(unitText);
    const v = m ? Number(m[1]) * (unit ? unit.factor : 1e-3) : NaN;
    if (unitText !== '' && unit?.quantity !== 'time') {
      warnings.push(`${file}: ${what} unit ${JSON.stringify(unitText.slice(0, 20))} is not a time: ignored`);
      return undefined;
    }
    if (!(Number.isFinite(v) && v > 0)) {
      warnings.push(`${file}: ${what} ${JSON.stringify(e.text.slice(0, 30))} is not a positive time: ignored`);
      return undefined;
    }
    return v;
  };
  const delta = time(['delta', 'littleDelta', 'LittleDelta', 'littledelta'], 'δ (delta)');
  const bigDelta = time(['DELTA', 'bigDelta', 'BigDelta', 'bigdelta', 'Delta'], 'Δ (DELTA)');
  if (delta !== undefined) out.delta = delta;
  if (bigDelta !== undefined) out.bigDelta = bigDelta;

  const exD = first(xml, ['exDiffCoff']);
  if (exD) {
    const v = Number(exD.text);
    if (NUMBER.test(exD.text) && v > 0) out.expectedD = v;
  }

  readTable(xml, file, warnings, out);

  if (out.delta === undefined && out.bigDelta === undefined && !out.gradients && !out.bValues) {
    warnings.push(`${file}: no diffusion settings recognised; pulse-program parameters used`);
    return undefined;
  }
  return out;
}

/** The gradient (and b) table: xValues/List rows of four, else `<X g=…>` elements, else the fallbacks. */
function readTable(xml: string, file: string, warnings: string[], out: DiffXmlSettings): void {
  const setB = (b: number[], where: string) => {
    // all 0: no b-values given (the writer's placeholder), not a table to check
    if (b.every((x) => x === 0)) return;
    if (!b.every((x) => Number.isFinite(x) && x >= 0))
      warnings.push(`${file}: ${where} has negative or non-finite b-values: ignored`);
    else out.bValues = Float64Array.from(b);
  };
  const setG = (g: number[], where: string) => {
    if (g.every((x) => Number.isFinite(x))) out.gradients = Float64Array.from(g, (x) => x * G_PER_CM);
    else warnings.push(`${file}: ${where} has non-finite gradients: ignored`);
  };

  const open = /<xValues(?:\s[^<>]*)?>/.exec(xml);
  const close = open ? xml.indexOf('</xValues', open.index) : -1;
  const lists = open ? elements(xml.slice(open.index, close < 0 ? undefined : close), 'List') : [];
  const allLists = lists.length > 0 ? lists : elements(xml, 'List');
  const list = lists[0] ?? (allLists.length === 1 ? allLists[0] : undefined);
  if (list) {
    const v = numbers(list.text);
    if (!v || v.length % 4 !== 0) {
      const n = v ? `${v.length} numbers` : 'non-numbers';
      warnings.push(`${file}: gradient list holds ${n}, not rows of four (step, g G/cm, ?, b s/m²): ignored`);
    } else {
      setG(
        v.filter((_, i) => i % 4 === 1),
        'gradient list',
      );
      setB(
        v.filter((_, i) => i % 4 === 3),
        'gradient list',
      );
    }
    return;
  }

  const xs = elements(xml, 'X');
  if (xs.length > 0) {
    const g = xs.map((e) => (NUMBER.test(e.attributes.g ?? '') ? Number(e.attributes.g) : NaN));
    setG(g, '<X g=…> elements');
    if (xs.every((e) => e.attributes.b !== undefined)) {
      setB(
        xs.map((e) => (NUMBER.test(e.attributes.b!) ? Number(e.attributes.b) : NaN)),
        '<X b=…> elements',
      );
    }
    return;
  }

  const gList = first(xml, ['gradients', 'Gradients', 'gradientList']);
  if (gList) {
    const v = numbers(gList.text);
    if (v) setG(v, 'gradient list');
    else warnings.push(`${file}: gradient list is not numbers: ignored`);
  } else {
    const g = [...elements(xml, 'gradient'), ...elements(xml, 'grad')].map((e) =>
      NUMBER.test(e.text) ? Number(e.text) : NaN,
    );
    if (g.length > 0) setG(g, '<gradient> elements');
  }
  const bList = first(xml, ['bValues', 'bvalues', 'bValueList']);
  if (bList) {
    const v = numbers(bList.text);
    if (v) setB(v, 'b-value list');
    else warnings.push(`${file}: b-value list is not numbers: ignored`);
  }
}

/** Content for `formatDiffXml`, in SI units. */
export interface DiffXmlContent {
  /** δ, s (written in ms). */
  delta: number;
  /** Δ, s (written in ms). */
  bigDelta: number;
  /** Gradient amplitudes, T/m (written in G/cm). */
  gradients: ArrayLike<number>;
  /** b-values, s/m² (omit to write 0, which the reader takes as absent). */
  bValues?: ArrayLike<number>;
  /** exDiffCoff, m²/s (default 1e-9). */
  expectedD?: number;
  /** 'list' (default): xValues/List rows of four; 'x-elements': `<X g=…>` elements (the reader variant). */
  layout?: 'list' | 'x-elements';
}

/**
 * A diff.xml as the public readers above expect it. The root element's name is unknown (`Diffusion` here); in the
 * four-number rows the 1st is written as the step number and the 3rd as 0, placeholders for columns whose meaning
 * is not established.
 */
export function formatDiffXml(c: DiffXmlContent): string {
  const ms = (s: number) => String(s * 1e3);
  const n = c.gradients.length;
  if (c.bValues && c.bValues.length !== n)
    throw new RangeError('formatDiffXml: gradients and bValues differ in length');
  const rows: string[] = [];
  for (let i = 0; i < n; i++) {
    const g = String(c.gradients[i]! / G_PER_CM);
    const b = c.bValues ? String(c.bValues[i]!) : '0';
    rows.push(c.layout === 'x-elements' ? `    <X g="${g}" b="${b}"/>` : `${i + 1} ${g} 0 ${b}`);
  }
  const table =
    c.layout === 'x-elements' ? rows.join('\n') : `  <xValues>\n    <List>${rows.join(' ')}</List>\n  </xValues>`;
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
    '<!-- Lapis synthetic diff.xml: δ and Δ in ms, gradients in G/cm, b in s/m² -->',
    '<Diffusion>',
    `  <delta>${ms(c.delta)}</delta>`,
    `  <DELTA>${ms(c.bigDelta)}</DELTA>`,
    `  <exDiffCoff>${String(c.expectedD ?? 1e-9)}</exDiffCoff>`,
    table,
    '</Diffusion>',
    '',
  ].join('\n');
}
