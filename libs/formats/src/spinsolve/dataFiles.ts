/**
 * The data files of a Spinsolve experiment folder, read within one byte budget: data.2d / data.1d (Prospa binaries),
 * the 1D_T1IRT2/NNNN/data.1d step folders, or a text export — as rows × points, complex when the file is.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FormatError } from '../acquisition';
import { parseProspa, type ProspaData } from '../prospa/prospa';
import type { SpinsolveKind, SpinsolveParameters } from './parameters';
import { parseCurve1d, parseDecays2d } from './textExport';

const TEXT_EXTENSIONS = /\.(dat|csv|txt)$/i;
/** Files of a Spinsolve folder that are lists or parameters, never the data. */
export const NOT_DATA =
  /^(acqu\.par(\.bak)?|proc\.par|gradients\.par|timeT[12]_s\.dat|delayTimes\.txt|processing\.script)$/i;

export interface Loaded {
  /** Steps (delays or gradients) down the rows; 1 for a single curve. */
  rows: number;
  /** Points per row: echoes, FID points, or the points of a 1D curve. */
  cols: number;
  re: Float64Array;
  im?: Float64Array;
  /** The file's own axis of a 1D curve (data.1d x, a text export's x column), in the file's unit. */
  x?: Float64Array;
  /** Rows are FIDs of a spectroscopic experiment. */
  fids: boolean;
  files: string[];
  notes: string[];
}

export class Budget {
  used = 0;
  constructor(readonly limit: number) {}
  async read(file: string): Promise<Buffer> {
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new FormatError(file, 'not a file');
      size = s.size;
    } catch (cause) {
      if (cause instanceof FormatError) throw cause;
      throw new FormatError(file, 'missing or unreadable', { cause });
    }
    this.used += size;
    if (this.used > this.limit) throw new FormatError(file, `data exceed the limit of ${this.limit} bytes`);
    return readFile(file);
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readProspaFile(file: string, budget: Budget): Promise<ProspaData> {
  const bytes = await budget.read(file);
  const p = parseProspa(bytes, { file, maxBytes: budget.limit });
  if (p.dims[2] * p.dims[3] !== 1) throw new FormatError(file, `a ${p.dims.join('×')} data set: expected 1D or 2D`);
  return p;
}

/** The 1D_T1IRT2/NNNN/data.1d folders, in step order; undefined when there are none. */
async function stepFolders(dir: string): Promise<string[] | undefined> {
  const root = join(dir, '1D_T1IRT2');
  if (!(await isDir(root))) return undefined;
  const names = (await readdir(root)).filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  const files: string[] = [];
  for (const n of names) if (await exists(join(root, n, 'data.1d'))) files.push(join(root, n, 'data.1d'));
  return files.length > 0 ? files : undefined;
}

/** The text export of a folder without binaries: named after the experiment first, then the known names. */
async function textExportOf(dir: string, experiment: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => TEXT_EXTENSIONS.test(n) && !NOT_DATA.test(n));
  } catch {
    return undefined;
  }
  const exp = experiment.toLowerCase();
  const rank = (n: string) => {
    const l = n.toLowerCase();
    if (l.replace(TEXT_EXTENSIONS, '') === exp) return 0;
    if (l.startsWith(exp)) return 1;
    if (/^(pgste\.dat|diffusionplot\.csv)$/.test(l)) return 2;
    return 3;
  };
  const ranked = names.filter((n) => rank(n) < 3).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return ranked[0] === undefined ? undefined : join(dir, ranked[0]);
}

export async function loadData(
  dir: string,
  explicit: string | undefined,
  kind: SpinsolveKind,
  p: SpinsolveParameters,
  budget: Budget,
  warnings: string[],
): Promise<Loaded> {
  const twoD = kind === 'T1IRT2' || kind === 'DT2';
  const fromProspa = async (file: string): Promise<Loaded> => {
    const d = await readProspaFile(file, budget);
    warnings.push(...d.warnings.map((w) => `${basename(file)}: ${w}`));
    const [cols, rows] = d.dims;
    const base = { re: d.re, ...(d.im ? { im: d.im } : {}), files: [file], notes: [] as string[] };
    if (rows === 1) {
      if (twoD) {
        throw new FormatError(
          file,
          `one echo train of a ${kind} (read the experiment's folder, which holds every step)`,
        );
      }
      return { ...base, rows: 1, cols, ...(d.x ? { x: d.x } : {}), fids: false };
    }
    return { ...base, rows, cols, fids: !twoD };
  };
  if (explicit !== undefined) {
    if (/\.[12]d$/i.test(explicit)) return fromProspa(explicit);
    return fromText(explicit, kind, p, budget, warnings);
  }
  for (const name of ['data.2d', 'data.1d']) {
    const file = join(dir, name);
    if (await exists(file)) return fromProspa(file);
  }
  const steps = await stepFolders(dir);
  if (steps) {
    if (!twoD) throw new FormatError(join(dir, '1D_T1IRT2'), `step folders in a ${kind} experiment`);
    const parts = [];
    for (const f of steps) {
      const d = await readProspaFile(f, budget);
      if (d.dims[1] !== 1) throw new FormatError(f, `a ${d.dims.join('×')} data set where one echo train was expected`);
      parts.push(d);
    }
    const cols = parts[0]!.dims[0];
    const complex = parts[0]!.im !== undefined;
    parts.forEach((d, i) => {
      if (d.dims[0] !== cols || (d.im !== undefined) !== complex) {
        throw new FormatError(steps[i]!, `${d.dims[0]} ${d.im ? 'complex' : 'real'} points; step 0 has ${cols}`);
      }
    });
    const re = new Float64Array(parts.length * cols);
    const im = complex ? new Float64Array(parts.length * cols) : undefined;
    parts.forEach((d, r) => {
      re.set(d.re, r * cols);
      if (im) im.set(d.im!, r * cols);
    });
    return { rows: parts.length, cols, re, ...(im ? { im } : {}), fids: false, files: steps, notes: [] };
  }
  const text = await textExportOf(dir, p.text('experiment') ?? '');
  if (text) return fromText(text, kind, p, budget, warnings);
  throw new FormatError(dir, 'no data: expected data.2d, data.1d, 1D_T1IRT2/ or a text export (.dat, .csv)');
}

async function fromText(
  file: string,
  kind: SpinsolveKind,
  p: SpinsolveParameters,
  budget: Budget,
  warnings: string[],
): Promise<Loaded> {
  const text = (await budget.read(file)).toString('latin1');
  if (kind === 'T1IRT2' || kind === 'DT2') {
    const d = parseDecays2d(text, file, p.number('nrEchoes'), warnings);
    return { ...d, fids: false, files: [file], notes: [] };
  }
  const c = parseCurve1d(text, file);
  return {
    rows: 1,
    cols: c.re.length,
    re: c.re,
    ...(c.im ? { im: c.im } : {}),
    ...(c.x ? { x: c.x } : {}),
    fids: false,
    files: [file],
    notes: [],
  };
}
