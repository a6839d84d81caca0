/**
 * Reads one TopSpin experiment folder (`<name>/<expno>/`): acqus (+ acqu2s for pseudo-2D), fid or ser, the variable
 * lists, the pulse program copy and the first processed title. Parameters are kept losslessly (see jcamp.ts) so
 * `writeBrukerDataset` can write back what was read. Nothing is allocated from declared sizes before the file on
 * disk is checked to hold them: a 10 GB TD×TD1 on a small file is a "truncated" FormatError, not an allocation.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FormatError, type AcquisitionMetadata, type VendorValue } from '../acquisition';
import { expectedDataBytes, readBrukerBinary, rowStride, type BrukerDataType, type ComplexRows } from './binary';
import { buildBrukerAxis, type BuildAxisOptions, type BrukerLists, type BuiltAxis } from './buildAxis';
import { detectBrukerExperiment, type DetectedExperiment } from './detectExperiment';
import { parseIntrng, type IntegralRegion } from './intrng';
import { parseJcamp } from './jcamp';
import { parseBrukerList } from './lists';
import { BrukerParameters } from './parameters';
import { parseDiffXml } from './diffXml';
import { parseTopspinFits } from './topspinFits';

export interface ReadBrukerOptions extends BuildAxisOptions {
  /** Override the byte order found in BYTORDA. */
  littleEndian?: boolean;
  /** Override the data type found in DTYPA. */
  dtype?: BrukerDataType;
  /** Keep the complete rows of a short ser (acquisition in progress) instead of throwing (default false). */
  allowPartial?: boolean;
  /** Memory limit for the decoded data (default 2 GiB). */
  maxBytes?: number;
  /** Read parameters only, not fid/ser (default false). */
  parametersOnly?: boolean;
}

export interface BrukerDataset {
  dir: string;
  acqus: BrukerParameters;
  acqu2s?: BrukerParameters;
  procs?: BrukerParameters;
  /** Complex rows (one for a fid); empty when `parametersOnly`. */
  data: ComplexRows;
  layout: { td: number; td1: number; dtype: BrukerDataType; littleEndian: boolean; nc: number; file: 'fid' | 'ser' };
  pulseProgram?: string;
  experiment: DetectedExperiment;
  lists: BrukerLists;
  /** The varied axis of a pseudo-2D, when it can be built. */
  axis?: BuiltAxis;
  /** Why the axis could not be built (missing or bad list, missing parameter); also in `warnings`. */
  axisError?: FormatError;
  metadata: AcquisitionMetadata;
  warnings: string[];
  /** The user's integral regions, pdata/1/intrng, when present and readable (ppm). */
  integralRegions?: IntegralRegion[];
  /** TopSpin's own relaxation or diffusion fits, pdata/1/ct1t2.txt (else dt1t2.txt), when present. */
  vendorResults?: VendorValue[];
}

/** Parameter and list files larger than this are not text TopSpin wrote. */
const MAX_TEXT_BYTES = 16 * 1024 * 1024;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (cause) {
    throw new FormatError(path, 'missing or unreadable', { cause });
  }
  if (size > MAX_TEXT_BYTES) throw new FormatError(path, `${size} bytes: too large for a parameter or list file`);
  return (await readFile(path)).toString('latin1');
}

async function readOptionalText(path: string): Promise<string | undefined> {
  return (await exists(path)) ? readText(path) : undefined;
}

export async function readBrukerParameters(path: string): Promise<BrukerParameters> {
  return new BrukerParameters(path, parseJcamp(await readText(path), { file: path }));
}

export async function readBruker(dir: string, options: ReadBrukerOptions = {}): Promise<BrukerDataset> {
  const warnings: string[] = [];
  const acqusPath = join(dir, 'acqus');
  if (!(await exists(acqusPath))) throw new FormatError(acqusPath, 'missing: not a TopSpin experiment folder');
  const acqus = await readBrukerParameters(acqusPath);
  const acqu2sPath = join(dir, 'acqu2s');
  const acqu2s = (await exists(acqu2sPath)) ? await readBrukerParameters(acqu2sPath) : undefined;
  const procsPath = join(dir, 'pdata', '1', 'procs');
  let procs: BrukerParameters | undefined;
  if (await exists(procsPath)) {
    try {
      procs = await readBrukerParameters(procsPath);
    } catch (e) {
      warnings.push(`pdata/1/procs unreadable, ignored: ${(e as Error).message}`);
    }
  }

  const td = acqus.requireNumber('TD');
  const td1 = acqu2s ? acqu2s.requireNumber('TD') : 1;
  if (!Number.isSafeInteger(td) || td < 2) throw new FormatError(acqusPath, `TD must be an integer ≥ 2, got ${td}`);
  if (!Number.isSafeInteger(td1) || td1 < 1) throw new FormatError(acqu2sPath, `TD must be an integer ≥ 1, got ${td1}`);
  const dtypa = acqus.number('DTYPA') ?? 0;
  let dtype: BrukerDataType;
  if (options.dtype) dtype = options.dtype;
  else if (dtypa === 0) dtype = 'int32';
  else if (dtypa === 2) dtype = 'float64';
  else throw new FormatError(acqusPath, `unknown DTYPA ${dtypa} (0 int32 and 2 float64 are known)`);
  const bytorda = acqus.number('BYTORDA') ?? 0;
  if (bytorda !== 0 && bytorda !== 1 && options.littleEndian === undefined) {
    throw new FormatError(acqusPath, `unknown BYTORDA ${bytorda} (0 little-endian, 1 big-endian)`);
  }
  const littleEndian = options.littleEndian ?? bytorda === 0;
  const nc = acqus.number('NC') ?? 0;

  const serPath = join(dir, 'ser');
  const fidPath = join(dir, 'fid');
  const useSer = td1 > 1 || ((await exists(serPath)) && !(await exists(fidPath)));
  const dataPath = useSer ? serPath : fidPath;
  let data: ComplexRows = { rows: 0, points: td / 2, re: new Float64Array(0), im: new Float64Array(0) };
  if (!options.parametersOnly) {
    data = await readDataFile(dataPath, { td, rows: td1, dtype, littleEndian, nc }, options);
    if (data.rows < td1) warnings.push(`${basename(dataPath)} holds ${data.rows} of ${td1} rows`);
  }

  const pulseProgram = await readOptionalText(join(dir, 'pulseprogram'));
  let experiment = detectBrukerExperiment(acqus.string('PULPROG'), pulseProgram);
  const lists = await readLists(dir, pulseProgram, warnings);
  if (experiment.kind === 'unknown' && td1 > 1) {
    // A home-made pulse program: the one list that is present says what was varied.
    const kind = lists.difflist ? 'D' : lists.vdlist ? 'T1-IR' : lists.vclist ? 'T2' : undefined;
    if (kind) {
      experiment = { ...experiment, kind, reason: `guessed from the lists present (${experiment.reason})` };
      warnings.push(
        `pulse program '${experiment.pulseProgram}' not recognised: ${kind} assumed from the lists present`,
      );
    }
  }
  let axis: BuiltAxis | undefined;
  let axisError: FormatError | undefined;
  if (td1 > 1 && experiment.kind !== 'unknown') {
    // Raw data stay readable when the axis cannot be built; readBrukerPseudo2d throws axisError.
    try {
      axis = buildBrukerAxis(experiment, acqus, lists, td1, warnings, options);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      axisError = e;
      warnings.push(`no ${experiment.kind} axis: ${e.message}`);
    }
  } else if (td1 > 1) {
    warnings.push(`experiment not recognised from pulse program '${experiment.pulseProgram}': no axis built`);
  }

  const metadata: AcquisitionMetadata = {
    source: 'bruker',
    path: dir,
    experimentNumber: basename(dir),
    pulseProgram: experiment.pulseProgram,
  };
  const instrument = acqus.string('INSTRUM');
  if (instrument) metadata.instrument = instrument;
  const owner = acqus.string('OWNER');
  if (owner) metadata.user = owner;
  const date = acqus.number('DATE');
  if (date !== undefined && date > 0) metadata.acquiredAt = new Date(date * 1000).toISOString();
  const title = await readOptionalText(join(dir, 'pdata', '1', 'title'));
  const firstLine = title?.split(/\r?\n/).find((l) => l.trim() !== '');
  if (firstLine) metadata.sample = firstLine.trim();
  const bf1 = acqus.number('BF1');
  if (bf1 !== undefined) metadata.spectrometerFrequencyMHz = bf1;
  const nuc = acqus.string('NUC1');
  if (nuc) metadata.nucleus = nuc;

  const result: BrukerDataset = {
    dir,
    acqus,
    data,
    layout: { td, td1, dtype, littleEndian, nc, file: useSer ? 'ser' : 'fid' },
    experiment,
    lists,
    metadata,
    warnings,
  };
  await readPdataExtras(dir, result, warnings);
  if (acqu2s) result.acqu2s = acqu2s;
  if (procs) result.procs = procs;
  if (pulseProgram !== undefined) result.pulseProgram = pulseProgram;
  if (axis) result.axis = axis;
  if (axisError) result.axisError = axisError;
  return result;
}

async function readDataFile(
  path: string,
  layout: { td: number; rows: number; dtype: BrukerDataType; littleEndian: boolean; nc: number },
  options: ReadBrukerOptions,
): Promise<ComplexRows> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (cause) {
    throw new FormatError(path, 'missing or unreadable: no acquired data', { cause });
  }
  const needed = expectedDataBytes(layout);
  if (size < needed && !options.allowPartial) {
    throw new FormatError(
      path,
      `truncated: TD ${layout.td} × ${layout.rows} rows need ${needed} bytes, the file has ${size}`,
    );
  }
  // TopSpin pads each row to 1 KiB (a fid too, in some versions): more than that is not this TD × TD1's data.
  const padded = Math.max(layout.rows, 1) * rowStride(layout.td, layout.dtype);
  if (size > padded) {
    throw new FormatError(
      path,
      `${size} bytes, more than TD ${layout.td} × ${layout.rows} row${layout.rows === 1 ? '' : 's'} need (${needed}): the parameters do not describe this data file (a changed TD or TD1?)`,
    );
  }
  const want = Math.min(size, needed);
  const maxBytes = options.maxBytes ?? 2 ** 31;
  if (want > maxBytes) throw new FormatError(path, `${want} bytes of data exceed the limit ${maxBytes}`);
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(want);
    let off = 0;
    while (off < want) {
      const { bytesRead } = await handle.read(buf, off, want - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    const binaryOptions = { file: path, allowPartial: options.allowPartial ?? false, maxBytes };
    return readBrukerBinary(buf.subarray(0, off), layout, binaryOptions);
  } finally {
    await handle.close();
  }
}

async function readLists(dir: string, pulseProgram: string | undefined, warnings: string[]): Promise<BrukerLists> {
  const lists: BrukerLists = {};
  const errors: Record<string, Error> = {};
  // A bad list only matters to the experiment that uses it: keep its error for buildBrukerAxis to throw.
  const take = async (name: 'vdlist' | 'vplist' | 'vclist' | 'difflist', kind: 'delay' | 'count' | 'gradient') => {
    try {
      const text = await readOptionalText(join(dir, name));
      if (text !== undefined) lists[name] = parseBrukerList(text, kind, { file: join(dir, name) });
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      errors[name] = e;
    }
  };
  await take('vdlist', 'delay');
  await take('vplist', 'delay');
  await take('vclist', 'count');
  await take('difflist', 'gradient');
  if (Object.keys(errors).length > 0) lists.errors = errors;
  const xml = await readOptionalText(join(dir, 'diff.xml'));
  if (xml !== undefined) {
    const parsed = parseDiffXml(xml, join(dir, 'diff.xml'), warnings);
    if (parsed) lists.diffXml = parsed;
  }
  // A gradient ramp named in the pulse program: `define list<gradient> diff=<Difframp>`.
  const ramp = pulseProgram ? /list\s*<gradient>\s*\w+\s*=\s*<\s*([\w.+-]+)\s*>/.exec(pulseProgram)?.[1] : undefined;
  if (ramp && (await exists(join(dir, ramp)))) {
    const text = await readText(join(dir, ramp));
    const body = text
      .split(/\r?\n/)
      .filter((l) => !l.startsWith('##') && !l.startsWith('$$'))
      .join('\n');
    try {
      lists.ramp = parseBrukerList(body, 'fraction', { file: join(dir, ramp) });
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      warnings.push(`gradient ramp ${ramp} unreadable: ${e.message}`);
    }
  }
  return lists;
}

/** pdata/1/intrng and TopSpin's T1/T2 results: optional, so an unreadable one is a warning, never an error. */
async function readPdataExtras(dir: string, result: BrukerDataset, warnings: string[]): Promise<void> {
  const pdata = join(dir, 'pdata', '1');
  try {
    const text = await readOptionalText(join(pdata, 'intrng'));
    if (text !== undefined) result.integralRegions = parseIntrng(text, 'pdata/1/intrng', warnings);
  } catch (e) {
    if (!isReadProblem(e)) throw e;
    warnings.push(`pdata/1/intrng ignored: ${e.message}`);
  }
  for (const name of ['ct1t2.txt', 'dt1t2.txt']) {
    try {
      const text = await readOptionalText(join(pdata, name));
      if (text === undefined) continue;
      const values = parseTopspinFits(text, `pdata/1/${name}`, warnings);
      if (values.length === 0) continue;
      result.vendorResults = values;
      return;
    } catch (e) {
      if (!isReadProblem(e)) throw e;
      warnings.push(`pdata/1/${name} ignored: ${e.message}`);
    }
  }
}

/** A FormatError or a file-system error (a folder where a file should be, no permission): not a bug here. */
function isReadProblem(e: unknown): e is Error {
  return e instanceof FormatError || (e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string');
}
